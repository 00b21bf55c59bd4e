import Detection
import Foundation
import Testing
import TestSupport

/// Scans the labelled secrets corpus with the built-in rules and scores the findings with the
/// rules of `score.py`. The corpus is a sample; the rules are general, never keyed to its values.
@Suite struct CorpusAccuracyTests {
    /// Every file of the corpus, with archive members and gzip'd files opened.
    static func scanCorpus() throws -> [CorpusScorer.Finding] {
        let detector = try Detector.standard()
        let root = Fixtures.secretsCorpus
        var findings: [CorpusScorer.Finding] = []
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.path.dropFirst(root.path.count + 1))
            let bytes = [UInt8](try Data(contentsOf: url))
            for (memberPath, data, keepLines) in expand(relative, bytes) {
                let isText = data.withUnsafeBytes { ContentSniffer.isProbablyText(UnsafeRawBufferPointer(rebasing: $0.prefix(ContentSniffer.prefixLength))) }
                guard isText else { continue }
                let matches = data.withUnsafeBytes { detector.scan($0, path: memberPath) }
                for m in matches {
                    findings.append(.init(file: relative, line: keepLines ? m.line : nil, rule: m.rule, secret: m.secret ?? ""))
                }
            }
        }
        return findings
    }

    /// A file as the scannable texts it holds: itself, a gzip'd file's content, archive members.
    static func expand(_ path: String, _ bytes: [UInt8]) -> [(String, [UInt8], Bool)] {
        if bytes.starts(with: [0x1F, 0x8B]), let inflated = Decompression.gunzip(bytes) {
            if inflated.count > 262, Array(inflated[257..<262]) == Array("ustar".utf8) {
                return TestArchives.tarMembers(inflated).map { (path + "/" + $0.name, $0.data, false) }
            }
            return [(String(path.dropLast(path.hasSuffix(".gz") ? 3 : 0)), inflated, true)]
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            return TestArchives.zipMembers(bytes).map { (path + "/" + $0.name, $0.data, false) }
        }
        return [(path, bytes, true)]
    }

    @Test func precisionAndRecallOnTheDevCorpus() throws {
        let findings = try Self.scanCorpus()
        let truth = try CorpusScorer.loadTruth(Fixtures.secretsTruth)
        let result = CorpusScorer.score(truth: truth, findings: findings)

        // The same findings in score.py's JSONL format, for `python3 shared/tools/score.py`.
        let out = ProcessInfo.processInfo.environment["STRATA_FINDINGS_OUT"]
            .map { URL(fileURLWithPath: $0) } ?? FileManager.default.temporaryDirectory.appendingPathComponent("strata-detect-findings.jsonl")
        var jsonl = ""
        for f in findings {
            let object: [String: Any] = ["file": f.file, "line": f.line.map { $0 as Any } ?? NSNull(), "rule": f.rule, "secret": f.secret]
            jsonl += String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) + "\n"
        }
        try jsonl.write(to: out, atomically: true, encoding: .utf8)

        let summary = String(format: "precision %.3f recall %.3f (TP %d FP %d FN %d) findings at %@",
                             result.precision, result.recall, result.tp, result.fp, result.fn, out.path)
        print(summary)
        for m in result.misses { print("MISS \(m.file):\(m.line.map(String.init) ?? "-") \(m.kind) \(m.values.first?.prefix(50) ?? "")") }
        for f in result.falsePositives { print("FP \(f.file):\(f.line.map(String.init) ?? "-") \(f.rule) \(f.secret.prefix(60))") }
        #expect(result.precision >= 0.95, "\(summary)")
        #expect(result.recall >= 0.95, "\(summary)")
    }
}
