import Detection
import Foundation
import LayerIndex

/// Lint's own small rule set: the token shapes that matter in Dockerfiles (GitHub, npm, Slack,
/// AWS, GitLab, Stripe, private keys, credentials in URLs, password assignments). It stands in
/// until the shared Detection engine is wired (`DetectionSecretEngine`), and keeps lint usable
/// when that engine is not linked.
public struct BuiltinSecretEngine: LintSecretEngine {
    struct Rule: @unchecked Sendable {
        var id: String
        var title: String
        var kind: String
        var severity: Severity
        var regex: NSRegularExpression
        /// Capture group holding the secret (0 = whole match).
        var group: Int
    }

    let rules: [Rule]

    /// Only the rules with these ids (nil: all).
    public init(only ids: Set<String>? = nil) {
        func rule(_ id: String, _ title: String, _ kind: String, _ severity: Severity, _ pattern: String, group: Int = 0) -> Rule {
            // The patterns are constants: a failure here is a programming error caught by tests.
            Rule(id: id, title: title, kind: kind, severity: severity,
                 regex: try! NSRegularExpression(pattern: pattern), group: group)
        }
        rules = [
            rule("github-pat", "GitHub token", "github-pat", .critical, #"\bgh[pousr]_[A-Za-z0-9]{36}\b"#),
            rule("github-fine-grained-pat", "GitHub fine-grained token", "github-pat", .critical, #"\bgithub_pat_[A-Za-z0-9_]{82}\b"#),
            rule("npm-token", "npm access token", "npm-token", .critical, #"\bnpm_[A-Za-z0-9]{36}\b"#),
            rule("slack-token", "Slack token", "slack-bot-token", .high, #"\bxox[abposr]-[0-9]{6,}-[0-9A-Za-z-]{10,}"#),
            rule("aws-access-key-id", "AWS access key id", "aws-access-key", .high, #"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"#),
            rule("aws-secret-key", "AWS secret access key", "aws-secret-key", .critical,
                 #"(?i)aws_?secret_?access_?key["']?\s*[=:]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"#, group: 1),
            rule("gitlab-pat", "GitLab token", "gitlab-pat", .critical, #"\bglpat-[A-Za-z0-9_-]{20}\b"#),
            rule("stripe-secret-key", "Stripe secret key", "stripe-secret-key", .critical, #"\b[rs]k_live_[A-Za-z0-9]{24,}\b"#),
            rule("private-key", "Private key", "private-key", .critical, #"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"#),
            rule("url-credentials", "Password in URL", "generic-password", .high,
                 #"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@"']+:([^/\s@"']+)@[^\s"']"#, group: 1),
            rule("docker-auth", "Docker registry auth", "docker-auth", .high, #""auth"\s*:\s*"([A-Za-z0-9+/]{12,}={0,2})""#, group: 1),
            rule("netrc-password", ".netrc password", "generic-password", .high, #"\bmachine\s+\S+\s+login\s+\S+\s+password\s+(\S+)"#, group: 1),
            rule("npm-auth-token", "npm _authToken", "npm-token", .high, #"_authToken\s*=\s*([A-Za-z0-9._\-]{16,})"#, group: 1),
            rule("generic-password", "Password assignment", "generic-password", .medium,
                 #"(?i)(?<![:/])\b(?:password|passwd|pwd|secret|api_?key|token)["']?\s*[=:]\s*["']?([^\s"'$`{}<>()\[\],;]{8,})"#, group: 1),
        ].filter { ids?.contains($0.id) ?? true }
    }

    static let placeholders = ["example", "changeme", "change_me", "placeholder", "dummy", "redacted", "xxxx",
                               "your_", "your-", "<", "****", "secret123", "password", "null", "none", "true", "false", "anonymous"]

    static func isPlaceholder(_ value: String) -> Bool {
        let lower = value.lowercased()
        if placeholders.contains(where: { lower.contains($0) }) { return true }
        if let first = value.first, value.allSatisfy({ $0 == first }) { return true }
        if value.hasPrefix("$") || value.contains("${") { return true }
        return false
    }

    public func scan(text: String, path: String) -> [Match] {
        let ns = text as NSString
        var matches: [Match] = []
        var claimed: [NSRange] = []
        for rule in rules {
            for result in rule.regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                let range = result.range(at: rule.group)
                guard range.location != NSNotFound else { continue }
                if claimed.contains(where: { NSIntersectionRange($0, range).length > 0 }) { continue }
                let secret = ns.substring(with: range)
                if rule.kind != "private-key", Self.isPlaceholder(secret) { continue }
                if rule.id.hasSuffix("-key-id"), secret.hasSuffix("EXAMPLE") { continue }
                if rule.id == "generic-password", Self.looksLikeWord(secret) || Self.looksLikeCode(secret, after: range, in: ns) { continue }
                claimed.append(range)
                let prefix = ns.substring(to: range.location)
                let line = prefix.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
                let lineStart = prefix.lastIndex(of: "\n").map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0
                let startByte = prefix.utf8.count
                let column = prefix.utf8.count - String(prefix.prefix(lineStart)).utf8.count + 1
                matches.append(Match(rule: rule.id, title: rule.title, kind: rule.kind, severity: rule.severity,
                                     confidence: rule.id == "generic-password" ? .low : .high,
                                     line: line, column: column, start: startByte, end: startByte + secret.utf8.count,
                                     secret: secret, fingerprint: "sha256:" + SHA256Hasher.hex(of: Data(secret.utf8)),
                                     preview: preview(secret)))
            }
        }
        return matches.sorted { $0.start < $1.start }
    }

    /// Lower-case words and paths (`password=/run/secrets/db`, `token=required`) are not secrets.
    static func looksLikeWord(_ value: String) -> Bool {
        if value.hasPrefix("/") || value.hasPrefix("./") { return true }
        // Letters only, each part lower-case, Capitalised or ALL CAPS: words (`required`,
        // `Passwort`, `API-Schlüssel`), not a random secret (which mixes case or has digits).
        guard value.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) else { return false }
        return value.split(whereSeparator: { $0 == "-" || $0 == "_" }).allSatisfy { part in
            part.dropFirst().allSatisfy { !$0.isUppercase } || part.allSatisfy { !$0.isLowercase }
        }
    }

    /// `secret = Detector.string(bytes)`, `password = decoded[i]`, `token: String?`: an
    /// expression in source code, not a value.
    static func looksLikeCode(_ value: String, after range: NSRange, in text: NSString) -> Bool {
        let end = range.location + range.length
        if end < text.length, let next = Unicode.Scalar(text.character(at: end)), "([.?!:".unicodeScalars.contains(next) { return true }
        if value.contains("(") || value.contains("[") || value.hasSuffix(",") || value.hasSuffix(";") { return true }
        // Member access (`self.password`, `config.db.pass`) or a capitalised type name.
        let parts = value.split(separator: ".")
        if parts.count >= 2, parts.allSatisfy({ $0.first.map { $0.isLetter || $0 == "_" } ?? false && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) {
            return true
        }
        return false
    }

    public func looksSecret(name: String) -> Bool { SecretNameHeuristic.looksSecret(name) }

    public func preview(_ secret: String) -> String {
        let count = secret.count
        if count <= 8 { return String(repeating: "*", count: max(count, 4)) }
        let keep = secret.hasPrefix("-----") ? 0 : min(4, count / 4)
        return String(secret.prefix(keep)) + "****…(\(count) chars)"
    }
}
