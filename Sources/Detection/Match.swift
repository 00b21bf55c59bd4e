import LayerIndex

/// How bad a finding is; `--fail-on` compares against it.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    var rank: Int { Severity.allCases.firstIndex(of: self)! }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// How sure the engine is that a match is a real secret (a valid checksum makes it `high`).
public enum Confidence: String, Codable, Sendable, CaseIterable, Comparable {
    case low, medium, high

    var rank: Int { Confidence.allCases.firstIndex(of: self)! }
    public static func < (lhs: Confidence, rhs: Confidence) -> Bool { lhs.rank < rhs.rank }
}

/// One secret found in some bytes: which rule, where (1-based line and column, byte span),
/// and the secret itself. `secret` is nil when the match came from the cache, which never
/// stores raw values; `preview` is always redacted.
public struct Match: Codable, Sendable, Hashable {
    /// Stable rule id, e.g. `github-pat`, `aws-access-key-id`, `private-key`.
    public var rule: String
    /// Human title of the rule, e.g. "GitHub personal access token".
    public var title: String
    /// The kind of secret, matching the corpus vocabulary (`github-pat`, `aws-secret-key`, …).
    public var kind: String
    public var severity: Severity
    public var confidence: Confidence
    /// 1-based line of the secret's first byte.
    public var line: Int
    /// 1-based column (in bytes) of the secret's first byte on its line.
    public var column: Int
    /// Byte offsets of the secret within the scanned input.
    public var start: Int
    public var end: Int
    /// The raw secret; nil when loaded from the cache.
    public var secret: String?
    /// `sha256:` of the secret's bytes: the same secret gives the same fingerprint everywhere.
    public var fingerprint: String
    /// Redacted form for display, e.g. `ghp_****…(40 chars)`.
    public var preview: String
    /// True when a format checksum (GitHub, npm CRC32) was checked and holds.
    public var checksumValid: Bool?
    /// Extra facts: `encrypted` for encrypted private keys, `pairedWith` for AWS pairs, the field name.
    public var notes: [String: String]

    public init(rule: String, title: String, kind: String, severity: Severity, confidence: Confidence,
                line: Int, column: Int, start: Int, end: Int, secret: String?, fingerprint: String,
                preview: String, checksumValid: Bool? = nil, notes: [String: String] = [:]) {
        self.rule = rule
        self.title = title
        self.kind = kind
        self.severity = severity
        self.confidence = confidence
        self.line = line
        self.column = column
        self.start = start
        self.end = end
        self.secret = secret
        self.fingerprint = fingerprint
        self.preview = preview
        self.checksumValid = checksumValid
        self.notes = notes
    }

    /// This match without its raw secret: what the cache may store.
    public var withoutSecret: Match {
        var copy = self
        copy.secret = nil
        return copy
    }
}
