import Detection
import Foundation
import LayerIndex
import Scanner

/// `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it. Each result points at
/// the file's path in the image (or `image-config.json` for config and history findings,
/// with the exact field as a logical location) and names the layer in a logical location,
/// so results do not depend on a Dockerfile being in the repository.
public enum SARIFReport {
    struct Log: Encodable {
        var version = "2.1.0"
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case version, schema = "$schema", runs }
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
        var automationDetails: Automation?
    }

    struct Automation: Encodable { var id: String }
    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name = "strata"
        var informationUri = "https://github.com/strata-scan/strata"
        var semanticVersion = StrataVersion.current
        var rules: [Rule]
    }

    struct Text: Encodable { var text: String }
    struct Markdown: Encodable { var text: String; var markdown: String }

    struct Rule: Encodable {
        var id: String
        var name: String
        var shortDescription: Text
        var fullDescription: Text
        var help: Markdown
        var defaultConfiguration: Configuration
        var properties: RuleProperties
    }

    struct Configuration: Encodable { var level: String }
    struct RuleProperties: Encodable {
        var tags: [String]
        var securitySeverity: String
        enum CodingKeys: String, CodingKey { case tags, securitySeverity = "security-severity" }
    }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Text
        var locations: [Location]
        var partialFingerprints: [String: String]
        var properties: ResultProperties
    }

    struct ResultProperties: Encodable {
        var status: String
        var fingerprint: String
        var layer: Int?
        var layerDigest: String?
        var removedInLayer: Int?
        var field: String?
        var introducedBy: String?
    }

    struct Location: Encodable {
        var physicalLocation: Physical
        var logicalLocations: [Logical]?
    }

    struct Physical: Encodable {
        var artifactLocation: Artifact
        var region: Region
    }

    struct Artifact: Encodable { var uri: String }
    struct Region: Encodable { var startLine: Int; var startColumn: Int? }
    struct Logical: Encodable { var name: String; var fullyQualifiedName: String; var kind: String }

    static func level(_ s: Severity) -> String {
        switch s {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "note"
        }
    }

    /// GitHub maps `security-severity` to critical/high/medium/low.
    static func securitySeverity(_ s: Severity) -> String {
        switch s {
        case .critical: return "9.5"
        case .high: return "8.0"
        case .medium: return "5.5"
        case .low: return "3.0"
        case .info: return "1.0"
        }
    }

    /// A path as a relative URI: percent-encode what a URI cannot hold, keep `/`.
    static func uri(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "!#?%")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    public static func render(_ input: ReportInput) -> Data {
        let redactor = input.redactor
        var ruleIndex: [String: Int] = [:]
        var rules: [Rule] = []
        for f in input.findings where ruleIndex[f.match.rule] == nil {
            ruleIndex[f.match.rule] = rules.count
            let m = f.match
            rules.append(Rule(id: m.rule, name: m.rule, shortDescription: Text(text: m.title),
                              fullDescription: Text(text: "\(m.title): a secret of kind \(m.kind) found in a container image layer, config or history."),
                              help: Markdown(text: "A \(m.title) was found. Rotate it, then keep it out of the image: build secrets (RUN --mount=type=secret), .dockerignore, runtime injection.",
                                             markdown: "A **\(m.title)** was found. Rotate it, then keep it out of the image: build secrets (`RUN --mount=type=secret`), `.dockerignore`, or runtime injection (Kubernetes Secret, Vault)."),
                              defaultConfiguration: Configuration(level: level(m.severity)),
                              properties: RuleProperties(tags: ["security", "secret", m.kind], securitySeverity: securitySeverity(m.severity))))
        }
        let results = input.findings.map { f -> Result in
            let l = f.location
            var where_: String
            var physical: Physical
            var logical: [Logical] = []
            switch l.source {
            case .layer, .file:
                let path = l.path ?? ""
                physical = Physical(artifactLocation: Artifact(uri: uri(path)), region: Region(startLine: max(1, l.line ?? 1), startColumn: l.column))
                if l.source == .layer, let layer = l.layer {
                    let digest = l.layerDigest?.description ?? ""
                    logical.append(Logical(name: "layer \(layer)", fullyQualifiedName: "layer[\(layer)] \(digest)", kind: "module"))
                    where_ = "layer \(layer): \(Sanitize.line(path)):\(l.line ?? 1)"
                } else {
                    where_ = "\(Sanitize.line(path)):\(l.line ?? 1)"
                }
            case .config, .history:
                let field = l.field ?? l.source.rawValue
                physical = Physical(artifactLocation: Artifact(uri: "image-config.json"), region: Region(startLine: 1, startColumn: nil))
                logical.append(Logical(name: field, fullyQualifiedName: "config.\(field)", kind: "member"))
                where_ = "image config \(Sanitize.line(field))"
            }
            var status = f.status.rawValue
            if let by = f.removedInLayer { status += " in layer \(by)" }
            let message = "\(f.match.title) (\(redactor.secret(of: f))) in \(where_), \(status). \(f.remediation)"
            let locationKey = [l.source.rawValue, l.layerDigest?.description ?? "", l.path ?? "", l.field ?? "", String(l.line ?? 0)].joined(separator: "|")
            let fingerprints = [
                "secretFingerprint/v1": f.fingerprint,
                "strataLocation/v1": SHA256Hasher.hex(of: Array((f.fingerprint + "|" + locationKey).utf8)),
            ]
            return Result(ruleId: f.match.rule, ruleIndex: ruleIndex[f.match.rule]!, level: level(f.severity), message: Text(text: message),
                          locations: [Location(physicalLocation: physical, logicalLocations: logical.isEmpty ? nil : logical)],
                          partialFingerprints: fingerprints,
                          properties: ResultProperties(status: f.status.rawValue, fingerprint: f.fingerprint, layer: l.layer,
                                                       layerDigest: l.layerDigest?.description, removedInLayer: f.removedInLayer,
                                                       field: l.field, introducedBy: f.introducedBy.map { redactor.redact($0) }))
        }
        let automation: Automation?
        switch input.target {
        case .image(let info): automation = Automation(id: "strata/image/\(info.configDigest.description)")
        case .directory: automation = nil
        }
        let log = Log(runs: [Run(tool: Tool(driver: Driver(rules: rules)), results: results, automationDetails: automation)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(log)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }
}

/// strata's version, as reports name it.
public enum StrataVersion {
    public static let current = "0.1.0"
}
