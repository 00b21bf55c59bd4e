import Detection
import Foundation
import LayerIndex
import Scanner

/// `--format json`: one entry per location; entries of the same secret share `fingerprint`.
/// Field names are a contract (see the README): add fields, never rename them.
public enum JSONReport {
    struct Document: Encodable {
        var image: ImageSection?
        var directory: String?
        var findings: [FindingEntry]
        var summary: Summary
        var errors: [String]
    }

    struct ImageSection: Encodable {
        var reference: String
        var format: String
        var manifestDigest: String?
        var configDigest: String
        var platform: String
        var tags: [String]
        var layers: [Layer]
    }

    struct Layer: Encodable {
        var index: Int
        var digest: String
        var diffID: String
        var size: Int64
        var mediaType: String
    }

    struct FindingEntry: Encodable {
        var rule: String
        var title: String
        var kind: String
        var severity: String
        var confidence: String
        var fingerprint: String
        var secret: String
        var status: String
        var removedInLayer: Int?
        var location: Location
        var introducedBy: String?
        var remediation: String
        var checksumValid: Bool?
        var notes: [String: String]?
    }

    struct Location: Encodable {
        var source: String
        var layer: Int?
        var layerDigest: String?
        var path: String?
        var line: Int?
        var column: Int?
        var field: String?
        var historyIndex: Int?
    }

    struct Summary: Encodable {
        var findings: Int
        var secrets: Int
        var bySeverity: [String: Int]
        var byStatus: [String: Int]
        var stillPresent: Int
        var baselined: Int
    }

    public static func render(_ input: ReportInput) -> Data {
        let redactor = input.redactor
        var image: ImageSection?
        var directory: String?
        switch input.target {
        case .image(let info):
            image = ImageSection(reference: info.reference, format: info.format, manifestDigest: info.manifestDigest?.description,
                                 configDigest: info.configDigest.description, platform: info.platform, tags: info.tags,
                                 layers: info.layers.map { Layer(index: $0.index, digest: $0.digest.description, diffID: $0.diffID.description,
                                                                 size: $0.size, mediaType: $0.mediaType) })
        case .directory(let path):
            directory = path
        }
        let entries = input.findings.map { f in
            let l = f.location
            let notes = f.match.notes.isEmpty ? nil : f.match.notes.mapValues { redactor.redact($0) }
            return FindingEntry(rule: f.match.rule, title: f.match.title, kind: f.match.kind, severity: f.severity.rawValue,
                                confidence: f.match.confidence.rawValue, fingerprint: f.fingerprint, secret: redactor.secret(of: f),
                                status: f.status.rawValue, removedInLayer: f.removedInLayer,
                                location: Location(source: l.source.rawValue, layer: l.layer, layerDigest: l.layerDigest?.description,
                                                   path: l.path, line: l.line, column: l.column, field: l.field, historyIndex: l.historyIndex),
                                introducedBy: f.introducedBy.map { redactor.redact($0) }, remediation: f.remediation,
                                checksumValid: f.match.checksumValid, notes: notes)
        }
        let groups = input.groups
        var bySeverity: [String: Int] = [:]
        for g in groups { bySeverity[g.severity.rawValue, default: 0] += 1 }
        var byStatus: [String: Int] = [:]
        for f in input.findings { byStatus[f.status.rawValue, default: 0] += 1 }
        let summary = Summary(findings: input.findings.count, secrets: groups.count, bySeverity: bySeverity, byStatus: byStatus,
                              stillPresent: groups.filter(\.stillPresent).count, baselined: input.baselined)
        let document = Document(image: image, directory: directory, findings: entries, summary: summary,
                                errors: input.failures.map(\.description))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(document)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }
}
