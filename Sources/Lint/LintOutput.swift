import Detection
import Foundation
import LayerIndex

/// Renders lint and context findings as a table, JSON or SARIF 2.1.0 (GitHub code scanning).
public enum LintOutput {
    public enum Format: String, Sendable, CaseIterable { case table, json, sarif }

    /// True when some finding is at or above `failOn`: the command exits 1.
    public static func fails(_ findings: [LintFinding], failOn: Severity) -> Bool {
        findings.contains { $0.severity >= failOn }
    }

    public static func render(_ findings: [LintFinding], format: Format, toolVersion: String = "0.1.0") -> String {
        switch format {
        case .table: return table(findings)
        case .json: return json(findings)
        case .sarif: return sarif(findings, toolVersion: toolVersion)
        }
    }

    static func table(_ findings: [LintFinding]) -> String {
        guard !findings.isEmpty else { return "no findings\n" }
        var out = ""
        for f in findings {
            out += "\(Sanitize.line(f.file)):\(f.line)  \(f.ruleID) \(f.severity.rawValue.uppercased())  \(Sanitize.line(f.message))\n"
            if let secret = f.secret { out += "    secret: \(Sanitize.line(secret))\n" }
            if let evidence = f.evidence {
                let layer = evidence.layerIndex.map { "layer \($0)" + (evidence.layerDigest.map { " (\($0.prefix(19)))" } ?? "") } ?? "no layer (config/history only)"
                out += "    image: history step \(evidence.historyIndex), \(layer): \(Sanitize.line(String(evidence.createdBy.prefix(120))))\n"
                if let secret = evidence.secretInHistory { out += "    image history holds: \(Sanitize.line(secret))\n" }
                if let value = evidence.secretInConfig { out += "    image config Env holds: \(Sanitize.line(value))\n" }
            }
            if let suggestion = f.suggestion {
                let lines = suggestion.split(separator: "\n", omittingEmptySubsequences: false).map { Sanitize.line(String($0)) }
                out += "    fix: " + lines.joined(separator: "\n         ") + "\n"
            }
        }
        let counts = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
        let summary = Severity.allCases.reversed().compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: ", ")
        out += "\(findings.count) finding\(findings.count == 1 ? "" : "s") (\(summary))\n"
        return out
    }

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    struct JSONReport: Encodable {
        var findings: [LintFinding]
        var summary: [String: Int]
    }

    static func json(_ findings: [LintFinding]) -> String {
        let summary = Dictionary(grouping: findings, by: { $0.severity.rawValue }).mapValues(\.count)
        let data = (try? encoder().encode(JSONReport(findings: findings, summary: summary))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: return "error"
        case .medium: return "warning"
        case .low, .info: return "note"
        }
    }

    static func securitySeverity(_ severity: Severity) -> String {
        switch severity {
        case .critical: return "9.5"
        case .high: return "8.0"
        case .medium: return "5.5"
        case .low: return "3.0"
        case .info: return "1.0"
        }
    }

    /// SARIF 2.1.0 with every rule described once, results pointing at file and lines, and a
    /// stable fingerprint per finding so GitHub tracks it across commits.
    static func sarif(_ findings: [LintFinding], toolVersion: String) -> String {
        let rules = LintRules.all
        let ruleObjects: [[String: Any]] = rules.map { rule in
            [
                "id": rule.id,
                "name": rule.name,
                "shortDescription": ["text": rule.name],
                "fullDescription": ["text": rule.summary],
                "help": ["text": rule.summary, "markdown": "**\(rule.id) \(rule.name)**: \(rule.summary)"],
                "defaultConfiguration": ["level": level(rule.severity)],
                "properties": ["tags": ["security", "secrets", "dockerfile"], "security-severity": securitySeverity(rule.severity)],
            ]
        }
        let results: [[String: Any]] = findings.map { f in
            var text = f.message
            if let suggestion = f.suggestion { text += "\nFix: " + suggestion }
            // Stable across commits that move lines: no line numbers in what is hashed.
            let identity = "\(f.ruleID)|\(f.file)|\(f.message.filter { !$0.isNumber })"
            let fingerprint = SHA256Hasher.hex(of: Data(identity.utf8))
            var result: [String: Any] = [
                "ruleId": f.ruleID,
                "ruleIndex": rules.firstIndex { $0.id == f.ruleID } ?? 0,
                "level": level(f.severity),
                "message": ["text": text],
                "locations": [[
                    "physicalLocation": [
                        "artifactLocation": ["uri": sarifURI(f.file)],
                        "region": ["startLine": max(1, f.line), "endLine": max(f.line, f.endLine)],
                    ],
                ]],
                "partialFingerprints": ["strataFinding/v1": fingerprint],
                "properties": ["severity": f.severity.rawValue, "security-severity": securitySeverity(f.severity)],
            ]
            if !f.relatedLines.isEmpty {
                result["relatedLocations"] = f.relatedLines.enumerated().map { i, line in
                    ["id": i, "physicalLocation": ["artifactLocation": ["uri": sarifURI(f.file)], "region": ["startLine": line]],
                     "message": ["text": "related step"]] as [String: Any]
                }
            }
            return result
        }
        let document: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": ["name": "strata", "informationUri": "https://github.com/strata/strata",
                                    "semanticVersion": toolVersion, "rules": ruleObjects]],
                "results": results,
            ]],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// A relative URI for SARIF: `./Dockerfile` → `Dockerfile`; absolute paths stay file URIs.
    static func sarifURI(_ path: String) -> String {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasPrefix("/") { return URL(fileURLWithPath: p).absoluteString }
        return p.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? p
    }
}
