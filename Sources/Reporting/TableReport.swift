import Detection
import Foundation
import LayerIndex
import Scanner

/// `--format table` (the default): one block per secret, most severe first, listing every
/// place it was found (layer and path, or config field, or history step), whether the final
/// image still carries it, the build step that put it there, and how to fix it.
/// Colour only when asked (a terminal without `NO_COLOR`); every image-supplied text is sanitised.
public enum TableReport {
    public struct Style: Sendable {
        public var colour: Bool
        public init(colour: Bool) { self.colour = colour }

        /// Colour on a terminal, unless `NO_COLOR` is set (to anything non-empty).
        public static func forOutput(isTerminal: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> Style {
            let noColour = !(environment["NO_COLOR"] ?? "").isEmpty || environment["TERM"] == "dumb"
            return Style(colour: isTerminal && !noColour)
        }

        func paint(_ text: String, _ code: String) -> String {
            colour ? "\u{1B}[\(code)m" + text + "\u{1B}[0m" : text
        }

        func severity(_ s: Severity) -> String {
            let label = s.rawValue.uppercased()
            switch s {
            case .critical: return paint(label, "1;35")
            case .high: return paint(label, "1;31")
            case .medium: return paint(label, "1;33")
            case .low: return paint(label, "36")
            case .info: return paint(label, "2")
            }
        }

        func status(_ f: Finding) -> String {
            var text = f.status.rawValue
            if let by = f.removedInLayer { text += " in layer \(by)" }
            switch f.status {
            case .present, .config: return paint(text, "31")
            case .history: return paint(text, "35")
            case .removed, .overwritten: return paint(text, "33")
            }
        }

        func dim(_ text: String) -> String { paint(text, "2") }
        func bold(_ text: String) -> String { paint(text, "1") }
    }

    public static func render(_ input: ReportInput, style: Style) -> String {
        let redactor = input.redactor
        var out = ""
        out += style.bold("strata scan") + " " + input.target.displayName + header(input.target) + "\n"
        let groups = input.groups
        if groups.isEmpty {
            out += "\nNo secrets found" + (input.baselined > 0 ? " (\(input.baselined) known from the baseline)" : "") + ".\n"
        }
        for (n, group) in groups.enumerated() {
            let rep = group.representative
            let m = rep.match
            out += "\n"
            out += "\(n + 1). " + style.severity(group.severity) + "  " + style.bold(Sanitize.line(m.title)) + " [\(m.rule)]"
            out += "  " + Sanitize.line(redactor.secret(of: rep)) + "\n"
            var facts = ["fingerprint \(String(group.fingerprint.prefix(23)))…", "confidence \(m.confidence.rawValue)"]
            if m.checksumValid == true { facts.append("checksum valid") }
            if let encrypted = m.notes["encrypted"], encrypted == "true" { facts.append("encrypted") }
            facts.append(group.stillPresent ? "still in the final image" : "only in history")
            out += "   " + style.dim(facts.joined(separator: " · ")) + "\n"
            var fixes: [String] = []
            for f in group.findings {
                out += "   - " + location(f) + "  " + style.status(f) + "\n"
                if let by = f.introducedBy, f.location.source == .layer {
                    out += "     " + style.dim("introduced by: " + Sanitize.line(shorten(redactor.redact(by), to: 160))) + "\n"
                }
                if !fixes.contains(f.remediation) { fixes.append(f.remediation) }
            }
            for fix in fixes {
                out += "   " + style.bold("fix:") + " " + Sanitize.line(fix) + "\n"
            }
        }
        out += "\n" + summary(input, groups: groups) + "\n"
        for failure in input.failures {
            out += style.paint("error:", "1;31") + " " + failure.description + "\n"
        }
        return out
    }

    static func header(_ target: ReportTarget) -> String {
        switch target {
        case .image(let info):
            return " (\(info.format), \(Sanitize.line(info.platform)), \(info.layers.count) layer\(info.layers.count == 1 ? "" : "s"))"
        case .directory:
            return " (directory)"
        }
    }

    static func location(_ f: Finding) -> String {
        let l = f.location
        switch l.source {
        case .layer:
            var text = "layer \(l.layer ?? 0)  /" + Sanitize.line(l.path ?? "")
            if let line = l.line { text += ":\(line)" + (l.column.map { ":\($0)" } ?? "") }
            return text
        case .file:
            var text = Sanitize.line(l.path ?? "")
            if let line = l.line { text += ":\(line)" + (l.column.map { ":\($0)" } ?? "") }
            return text
        case .config:
            return "config   " + Sanitize.line(l.field ?? "")
        case .history:
            var text = "history  " + Sanitize.line(l.field ?? "history[\(l.historyIndex ?? 0)]")
            if let layer = l.layer { text += " (layer \(layer))" } else { text += " (no layer)" }
            return text
        }
    }

    static func shorten(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }

    static func summary(_ input: ReportInput, groups: [SecretGroup]) -> String {
        var bySeverity: [Severity: Int] = [:]
        for g in groups { bySeverity[g.severity, default: 0] += 1 }
        var text = "\(groups.count) secret\(groups.count == 1 ? "" : "s") in \(input.findings.count) location\(input.findings.count == 1 ? "" : "s")"
        let parts = Severity.allCases.reversed().compactMap { s in bySeverity[s].map { "\($0) \(s.rawValue)" } }
        if !parts.isEmpty { text += " (" + parts.joined(separator: ", ") + ")" }
        let present = groups.filter(\.stillPresent).count
        if !groups.isEmpty { text += "; \(present) still in the final image" }
        if input.baselined > 0 { text += "; \(input.baselined) known from the baseline, not shown" }
        if !input.showSecrets && !groups.isEmpty { text += ". Secrets are redacted (--show-secrets to print them)" }
        return text + "."
    }
}
