import Detection
import Foundation
import ImageSource
import LayerIndex
import Reporting
import Testing
import TestSupport
@testable import Scanner

/// The image fixtures against their ground truth: every planted secret at every occurrence
/// (layer, path, status, removing layer; config field; history step), no negative reported,
/// nothing at all in the two negative images, and the same findings from both formats.
@Suite struct FindingsFixtureTests {
    struct Truth: Decodable {
        struct Item: Decodable {
            var id: String
            var kind: String
            var intent: String
            var value: String
            var needle: String
            var occurrences: [Occurrence]
        }
        struct Occurrence: Decodable {
            var location: String
            var layer_index: Int?
            var path: String?
            var status: String?
            var entry: String?
            var history_index: Int?
            var removed_by_layer_index: Int?
        }
        var image: String
        var secrets: [Item]
        var negatives: [Item]
    }

    /// The background scanner with the findings pipeline, as `strata scan` runs it (no cache).
    static func scan(_ reference: String) throws -> ScanReport {
        let source = try ImageSources.open(reference)
        let scanner = ImageScanner(source: source, pipeline: .standard(detector: try Detector.standard(), image: reference), cache: nil,
                                   options: ImageScanner.Options(workers: 2, writeCache: false, recordImage: false))
        return try scanner.wait()
    }

    static func truth(_ name: String) throws -> Truth {
        try JSONDecoder().decode(Truth.self, from: Data(contentsOf: Fixtures.truth(name)))
    }

    static func statusName(_ truth: String) -> String {
        if truth == "present-in-final" { return "present" }
        if truth.hasPrefix("deleted") { return "removed" }
        if truth.hasPrefix("overwritten") { return "overwritten" }
        return truth
    }

    /// The truth writes archive members `ARCHIVE!/member`; strata `ARCHIVE!member`.
    static func imagePath(_ truthPath: String) -> String {
        String(truthPath.drop { $0 == "/" }).replacingOccurrences(of: "!/", with: "!")
    }

    static func holds(_ finding: Finding, _ item: Truth.Item) -> Bool {
        guard let secret = finding.match.secret else { return false }
        return secret.contains(item.needle) || (item.value.contains(secret) && secret.count >= 8)
    }

    /// Where a truth occurrence is missing from `findings`, as a readable line (nil when found).
    static func missing(_ occurrence: Truth.Occurrence, of item: Truth.Item, in findings: [Finding]) -> String? {
        let candidates = findings.filter { holds($0, item) }
        switch occurrence.location {
        case "layer":
            let path = imagePath(occurrence.path ?? "")
            let status = statusName(occurrence.status ?? "")
            let hit = candidates.first { f in
                f.location.source == .layer && f.location.layer == occurrence.layer_index && f.location.path == path
                    && f.status.rawValue == status
                    && (status == "present" || f.removedInLayer == occurrence.removed_by_layer_index)
            }
            if hit != nil { return nil }
            let near = candidates.map { "\($0.location.layer ?? -1):\($0.location.path ?? "")=\($0.status.rawValue)/\($0.removedInLayer ?? -1)" }
            return "\(item.id): layer \(occurrence.layer_index ?? -1) \(path) \(status) by \(occurrence.removed_by_layer_index ?? -1); have \(near)"
        case let loc where loc.hasPrefix("config:"):
            let field = String(loc.dropFirst("config:".count)) + (occurrence.entry.map { "[\($0)]" } ?? "")
            if candidates.contains(where: { $0.status == .config && $0.location.field == field }) { return nil }
            return "\(item.id): \(field)"
        case let loc where loc.hasPrefix("history:"):
            let n = Int(loc.dropFirst("history:".count)) ?? -1
            if candidates.contains(where: { $0.status == .history && $0.location.historyIndex == n && $0.location.layer == occurrence.layer_index }) { return nil }
            return "\(item.id): history[\(n)] layer \(occurrence.layer_index ?? -1)"
        default:
            return "\(item.id): unknown location \(occurrence.location)"
        }
    }

    @Test(arguments: Fixtures.imageNames)
    func everyPlantedSecretAtEveryOccurrence(name: String) throws {
        let truth = try Self.truth(name)
        let report = try Self.scan(Fixtures.dockerArchive(name))
        #expect(report.failures.isEmpty, "\(report.failures)")
        var missing: [String] = []
        for item in truth.secrets where item.intent == "positive" {
            for occurrence in item.occurrences {
                if let line = Self.missing(occurrence, of: item, in: report.findings) { missing.append(line) }
            }
        }
        #expect(missing.isEmpty, "\(name): missing \(missing); found \(report.findings.map { "\($0.match.rule) \($0.location.path ?? $0.location.field ?? "") \($0.match.preview)" })")
        for item in truth.negatives {
            let wrong = report.findings.filter { f in
                guard let s = f.match.secret else { return false }
                return s.contains(item.needle) || (item.needle.contains(s) && s.count >= 6)
            }
            #expect(wrong.isEmpty, "\(name): negative \(item.id) reported: \(wrong.map { "\($0.match.rule) \($0.location)" })")
        }
        // Nothing beyond the planted secrets (at the default --fail-on severity and above).
        let unexplained = report.findings.filter { f in
            f.severity >= .medium && !truth.secrets.contains { Self.holds(f, $0) }
        }
        #expect(unexplained.isEmpty, "\(name): unexplained \(unexplained.map { "\($0.match.rule) \($0.match.preview) \($0.location)" })")
        if name == "g-secret-mount-clean" || name == "h-hard-negatives" {
            #expect(report.findings.isEmpty, "\(name): \(report.findings.map { "\($0.match.rule) \($0.location)" })")
        }
    }

    @Test(arguments: Fixtures.imageNames)
    func dockerArchiveAndOCIGiveTheSameFindings(name: String) throws {
        let archive = try Self.scan(Fixtures.dockerArchive(name))
        let oci = try Self.scan(Fixtures.ociLayout(name))
        func findingsJSON(_ report: ScanReport) throws -> String {
            let data = JSONReport.render(ReportInput(target: .image(report.image), findings: report.findings))
            let doc = try JSONSerialization.jsonObject(with: data) as! [String: Any]
            let findings = try JSONSerialization.data(withJSONObject: doc["findings"]!, options: [.sortedKeys])
            return String(decoding: findings, as: UTF8.self)
        }
        #expect(try findingsJSON(archive) == findingsJSON(oci))
    }
}
