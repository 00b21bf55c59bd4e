import Foundation
import LayerIndex
import Scanner

/// The secrets already known (by fingerprint), so CI fails only on new ones.
/// Written by `--write-baseline FILE`; `--baseline FILE` also accepts a strata JSON report.
public struct Baseline: Sendable, Hashable {
    public var fingerprints: Set<String>

    public init(fingerprints: Set<String>) { self.fingerprints = fingerprints }

    public init(findings: [Finding]) { fingerprints = Set(findings.map(\.fingerprint)) }

    struct File: Codable {
        var version: Int
        var tool: String
        var fingerprints: [String]
    }

    struct ReportFile: Decodable {
        struct Item: Decodable { var fingerprint: String }
        var findings: [Item]
    }

    /// Reads a baseline (or a strata JSON report) from `path`.
    public static func load(path: String) throws -> Baseline {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StrataError("cannot read baseline", path: path)
        }
        let decoder = JSONDecoder()
        if let file = try? decoder.decode(File.self, from: data) {
            return Baseline(fingerprints: Set(file.fingerprints))
        }
        if let report = try? decoder.decode(ReportFile.self, from: data) {
            return Baseline(fingerprints: Set(report.findings.map(\.fingerprint)))
        }
        throw StrataError("not a strata baseline (expected {\"fingerprints\": [...]} or a strata JSON report)", path: path)
    }

    /// The baseline file's text: sorted fingerprints, one stable document.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let file = File(version: 1, tool: "strata", fingerprints: fingerprints.sorted())
        return (try? encoder.encode(file)).map { $0 + Data("\n".utf8) } ?? Data()
    }

    public func write(path: String) throws {
        try OutputFile.write(encoded(), to: path)
    }

    /// Splits findings into new ones and the number the baseline already knows.
    public func filter(_ findings: [Finding]) -> (new: [Finding], known: Int) {
        let new = findings.filter { !fingerprints.contains($0.fingerprint) }
        return (new, findings.count - new.count)
    }
}
