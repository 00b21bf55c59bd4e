import Detection
import LayerIndex
import Scanner

/// What was scanned: an image, or a directory (a build context or an extracted root filesystem).
public enum ReportTarget: Sendable {
    case image(ImageInfo)
    case directory(String)

    /// One sanitised line naming the target.
    public var displayName: String {
        switch self {
        case .image(let info): return Sanitize.line(info.reference)
        case .directory(let path): return Sanitize.line(path)
        }
    }
}

/// Everything a report needs: the target, its findings (already filtered by the baseline),
/// the problems met on the way, and the presentation choices.
public struct ReportInput: Sendable {
    public var target: ReportTarget
    public var findings: [Finding]
    public var failures: [StrataError]
    /// Findings left out because their fingerprint is in the baseline.
    public var baselined: Int
    /// Print raw secret values (otherwise the redacted preview).
    public var showSecrets: Bool

    public init(target: ReportTarget, findings: [Finding], failures: [StrataError] = [], baselined: Int = 0, showSecrets: Bool = false) {
        self.target = target
        self.findings = FindingOrder.sorted(findings)
        self.failures = failures
        self.baselined = baselined
        self.showSecrets = showSecrets
    }

    /// Redacts every known secret in free text from the image (a `RUN` line with an inlined token).
    public var redactor: Redactor { Redactor(findings: findings, showSecrets: showSecrets) }

    /// Distinct secrets (by fingerprint), most severe first, each with its findings in order.
    public var groups: [SecretGroup] {
        var byFingerprint: [String: [Finding]] = [:]
        var firstSeen: [String] = []
        for f in findings {
            if byFingerprint[f.fingerprint] == nil { firstSeen.append(f.fingerprint) }
            byFingerprint[f.fingerprint, default: []].append(f)
        }
        let groups = firstSeen.map { SecretGroup(fingerprint: $0, findings: byFingerprint[$0]!) }
        return groups.enumerated().sorted { a, b in
            if a.element.severity != b.element.severity { return a.element.severity > b.element.severity }
            return a.offset < b.offset
        }.map(\.element)
    }
}

/// All the places one secret was found.
public struct SecretGroup: Sendable {
    public var fingerprint: String
    public var findings: [Finding]

    /// The most severe of its findings (rules may differ per location, e.g. a generic match).
    public var severity: Severity { findings.map(\.severity).max() ?? .info }
    /// The finding whose rule names the secret best: the most severe, then most confident.
    public var representative: Finding {
        findings.max { ($0.severity, $0.match.confidence) < ($1.severity, $1.match.confidence) }!
    }
    /// True when the final image (or directory) still carries it somewhere.
    public var stillPresent: Bool {
        findings.contains { $0.status == .present || $0.status == .config }
    }
}

/// Replaces raw secret values with their redacted previews in any text, unless secrets are shown.
public struct Redactor: Sendable {
    let replacements: [(secret: String, preview: String)]
    public let showSecrets: Bool

    public init(findings: [Finding], showSecrets: Bool) {
        self.showSecrets = showSecrets
        var seen = Set<String>()
        var pairs: [(String, String)] = []
        for f in findings {
            guard let secret = f.match.secret, secret.count >= 4, !seen.contains(secret) else { continue }
            seen.insert(secret)
            pairs.append((secret, f.match.preview))
        }
        // Longest first, so a secret that contains another is replaced whole.
        replacements = pairs.sorted { $0.0.count > $1.0.count }
    }

    /// The secret as a report shows it.
    public func secret(of finding: Finding) -> String {
        showSecrets ? (finding.match.secret ?? finding.match.preview) : finding.match.preview
    }

    /// `text` with every known secret replaced by its preview (unchanged with `--show-secrets`).
    public func redact(_ text: String) -> String {
        guard !showSecrets else { return text }
        var out = text
        for (secret, preview) in replacements where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: preview)
        }
        return out
    }
}
