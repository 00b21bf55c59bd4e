/// One detection rule: a PCRE2 pattern guarded by case-insensitive keywords.
///
/// The engine finds the keywords in one Vectorscan pass over the raw bytes and runs `regex`
/// only in a window around each keyword hit, so every built-in rule must carry at least one
/// keyword that any match contains. Rules are plain data (declarative tables in `Rules/`).
public struct Rule: Sendable, Hashable, Codable {
    /// Stable id, e.g. `github-pat`.
    public var id: String
    /// Human title, e.g. "GitHub personal access token".
    public var title: String
    /// Corpus vocabulary kind (`github_token`, `generic_password`, …).
    public var kind: String
    public var severity: Severity
    /// Confidence of a match that passes every check (a valid checksum raises it to `high`).
    public var confidence: Confidence
    /// PCRE2 pattern (Go/RE2 syntax mostly works as is).
    public var regex: String
    /// Case-insensitive literals; a match must contain one. Empty: the regex runs over the whole input.
    public var keywords: [String]
    /// Capture group holding the secret; nil means the group named `secret`, else group 1, else the match.
    public var secretGroup: Int?
    /// Minimum Shannon entropy (bits per byte) of the secret.
    public var entropy: Double?
    /// Extra check run on the secret.
    public var validator: Validator
    /// How far (bytes) before and after a keyword hit a match may extend.
    public var window: Int
    /// Keywords match exactly (provider prefixes such as `AKIA`, `ghp_`) instead of ignoring case.
    public var keywordsCaseSensitive: Bool
    /// The keyword lies inside a name (`DB_PASSWORD`): the engine takes the whole name around
    /// each keyword hit and matches `regex` anchored right after it (separator and value), with
    /// the name available as if captured by a group `name`. No window scanning.
    public var anchorAtName: Bool
    /// Only inputs whose path matches this PCRE2 pattern.
    public var path: String?
    /// Secrets (or, with `allowTarget == .match`, whole matches) matching any of these are not reported.
    public var allowRegexes: [String]
    /// Secrets containing any of these words (case-insensitive) are not reported.
    public var stopwords: [String]
    /// Apply the placeholder / env-reference / example filters to the secret.
    public var filterPlaceholders: Bool
    /// When two matches overlap, the higher priority wins (provider rules beat generic ones).
    public var priority: Int
    /// Static notes copied to every match.
    public var notes: [String: String]

    public init(id: String, title: String, kind: String, severity: Severity = .high,
                confidence: Confidence = .medium, regex: String, keywords: [String],
                secretGroup: Int? = nil, entropy: Double? = nil, validator: Validator = .none,
                window: Int = 512, keywordsCaseSensitive: Bool = false, anchorAtName: Bool = false, path: String? = nil, allowRegexes: [String] = [],
                stopwords: [String] = [], filterPlaceholders: Bool = true, priority: Int = 50,
                notes: [String: String] = [:]) {
        self.id = id
        self.title = title
        self.kind = kind
        self.severity = severity
        self.confidence = confidence
        self.regex = regex
        self.keywords = keywords
        self.secretGroup = secretGroup
        self.entropy = entropy
        self.validator = validator
        self.window = window
        self.keywordsCaseSensitive = keywordsCaseSensitive
        self.anchorAtName = anchorAtName
        self.path = path
        self.allowRegexes = allowRegexes
        self.stopwords = stopwords
        self.filterPlaceholders = filterPlaceholders
        self.priority = priority
        self.notes = notes
    }
}

/// Checks beyond the pattern, run on the secret (and sometimes the whole match).
public enum Validator: String, Sendable, Hashable, Codable {
    case none
    /// `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` tokens: CRC32 of the 30 random chars, base62, 6 chars.
    case githubCRC32
    /// `npm_` tokens: same scheme as GitHub.
    case npmCRC32
    /// Three base64url parts whose header decodes to JSON with `alg`.
    case jwt
    /// A PEM/OpenSSH private key block: marks encrypted keys.
    case privateKey
    /// Base64 of a PEM private key (kubeconfig `client-key-data`).
    case base64PrivateKey
    /// Base64 of `user:password` (HTTP Basic, docker `auth`, npm `_auth`).
    case base64UserPassword
    /// Base64 of anything printable (npm `_password`, Kubernetes Secret data).
    case base64Printable
    /// A name = value assignment: the name must look secret (SecretNames) and the value like a credential.
    case secretAssignment
    /// A password in a command line or config directive: the value must look like a credential.
    case passwordValue
    /// The password part of a URL's userinfo.
    case urlPassword
}
