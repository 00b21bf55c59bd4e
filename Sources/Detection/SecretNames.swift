/// Whether a variable, key or field name holds a secret (`DB_PASSWORD`, `apiKey`,
/// `aws.secret.access.key`) rather than something about one (`PASSWORD_FILE`, `token_ttl`,
/// `PUBLIC_KEY`, `KEY_ID`, `forgot_password`). Used for assignments, ENV and ARG names.
public enum SecretNames {
    /// What a secret-looking name holds.
    public enum Category: String, Sendable {
        case password
        case secret
    }

    /// True when `name` looks like it holds a secret value.
    public static func looksSecret(_ name: String) -> Bool { category(of: name) != nil }

    /// `.password` for password-like names, `.secret` for tokens/keys/secrets, nil otherwise.
    public static func category(of name: String) -> Category? {
        let tokens = tokenize(name)
        guard let last = tokens.last else { return nil }
        if tokens.contains(where: { disqualifying.contains($0) }) { return nil }
        if excludedLast.contains(last) || (ends(last, "s") && excludedLast.contains(String(last.dropLast()))) { return nil }
        var result: Category?
        // `_auth`, `basic_auth`: short names ending in auth hold credentials; `com.google.auth` does not.
        if last == "auth" && tokens.count <= 2 { result = .secret }
        for (i, t) in tokens.enumerated() {
            if let c = classify(token: t, previous: i > 0 ? tokens[i - 1] : nil, isLast: i == tokens.count - 1) {
                if c == .password { return .password }
                result = c
            }
        }
        return result
    }

    private static func classify(token t: String, previous: String?, isLast: Bool) -> Category? {
        if passwordExact.contains(t) { return .password }
        if has(t, "password") || has(t, "passwd") || has(t, "passphrase") { return .password }
        if ends(t, "pwd") || ends(t, "psw") || ends(t, "pass") && t.utf8.count <= 12 && !ends(t, "bypass")
            && !ends(t, "compass") && !ends(t, "class") { return .password }
        if has(t, "secret") { return .secret }
        if has(t, "token") && !starts(t, "tokeniz") { return .secret }
        if ends(t, "apikey") || ends(t, "apisecret") || t == "salt" || t == "pat" {
            return .secret
        }
        if has(t, "credential") { return .secret }
        if t == "key" || t == "keys" {
            guard let p = previous else { return nil }
            return keyNonSecretQualifiers.contains(p) ? nil : .secret
        }
        if qualifiedKeys.contains(t) { return .secret }
        return nil
    }

    // Byte-level tests on the (ASCII, lower-case) tokens: Foundation's `contains`/`range(of:)`
    // and the Unicode-aware `hasSuffix` dominated scan time on text full of name-like words.
    @inline(__always) private static func has(_ hay: String, _ needle: StaticString) -> Bool {
        var hay = hay
        return hay.withUTF8 { h in
            let n = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
            guard n.count <= h.count else { return false }
            var i = 0
            while i <= h.count - n.count {
                var j = 0
                while j < n.count && h[i + j] == n[j] { j += 1 }
                if j == n.count { return true }
                i += 1
            }
            return false
        }
    }

    @inline(__always) private static func ends(_ hay: String, _ suffix: StaticString) -> Bool {
        matches(hay, suffix, atEnd: true)
    }

    @inline(__always) private static func starts(_ hay: String, _ prefix: StaticString) -> Bool {
        matches(hay, prefix, atEnd: false)
    }

    /// True when `hay` begins (or, `atEnd`, ends) with the bytes of `needle`.
    @inline(__always) private static func matches(_ hay: String, _ needle: StaticString, atEnd: Bool) -> Bool {
        var hay = hay
        return hay.withUTF8 { h in
            let n = needle.utf8CodeUnitCount
            guard n <= h.count else { return false }
            let offset = atEnd ? h.count - n : 0
            let s = needle.utf8Start
            for j in 0..<n where h[offset + j] != s[j] { return false }
            return true
        }
    }

    static let passwordExact: Set<String> = ["pw", "pwd", "pass", "psw", "passwd", "pwd", "requirepass", "masterauth"]
    static let keyQualifiers = ["api", "access", "secret", "private", "master", "session", "encryption", "encrypt",
                                "signing", "sign", "auth", "client", "app", "license", "account", "storage", "crypt",
                                "hmac", "jwt", "cipher", "aes", "admin", "service", "shared", "webhook", "consumer"]
    /// `apikey`, `accesskey`, …: one-word names that hold a key.
    static let qualifiedKeys = Set(keyQualifiers.map { $0 + "key" })
    static let keyNonSecretQualifiers: Set<String> = [
        "public", "pub", "primary", "foreign", "sort", "partition", "cache", "map", "object", "host", "idempotency",
        "routing", "lookup", "unique", "index", "dict", "field", "attribute", "property", "meta", "row", "column",
        "translation", "i18n", "label", "sequence", "hot", "keyboard", "press", "s3", "redis", "registry", "group",
        "composite", "natural", "surrogate", "shortcut", "menu", "json", "yaml", "dns", "gpg", "pgp", "ssh",
        "kms", "the", "a", "by", "manager", "release", "maintainer", "owner", "keyserver", "rule", "accel", "listbox",
    ]
    /// A name whose last part is one of these describes a secret rather than holding it.
    static let excludedLast: Set<String> = [
        "id", "ids", "sid", "name", "names", "type", "types", "file", "files", "filename", "path", "paths", "dir",
        "directory", "url", "uri", "urls", "endpoint", "host", "ref", "refs", "reference", "header", "ttl", "length",
        "len", "min", "max", "minimum", "maximum", "expiry", "expires", "expiration", "timeout", "policy", "enabled",
        "enable", "disabled", "required", "format", "label", "hint", "field", "prompt", "placeholder", "hash",
        "hashed", "digest", "sha", "md5", "sha1", "sha256", "sha512", "fingerprint", "version", "count", "size",
        "algorithm", "alg", "mode", "rotation", "pattern", "regex", "validation", "env", "var", "variable", "prefix",
        "suffix", "location", "provider", "arn", "kind", "scope", "scopes", "audience", "issuer", "duration", "age",
        "lifetime", "interval", "limit", "retries", "attempts", "method", "strategy", "source", "mount", "class",
        "encoding", "usage", "description", "desc", "title", "text", "message", "msg", "error", "column", "table",
        "option", "options", "store", "manager", "secretref", "keyref", "vault", "path", "command", "cmd", "script",
        "generator", "server", "service", "exists", "set", "check", "policy", "days", "hours", "seconds", "rule",
        "rules", "entropy", "strength", "chars", "charset", "field", "input", "list", "map", "pair", "tokens",
        "index", "position", "bytes", "bits", "user", "username", "login", "email", "account", "owner",
        "encryption", "cipher", "hashing", "salt_rounds", "rounds", "iterations", "goto", "accel", "namespace", "ns",
        "limit", "extension", "ext", "usage", "class", "schema", "spec", "struct", "interface", "impl", "test", "tests",
        "example", "sample", "dummy", "mock", "stub", "fake",
    ]
    /// Any of these anywhere in the name: not a secret holder.
    static let disqualifying: Set<String> = [
        "forgot", "reset", "public", "pub", "publishable", "confirm", "validation", "validate", "placeholder", "label", "hint",
        "min", "max", "policy", "expiry", "expires", "ttl", "lifetime", "strength", "is", "has", "show", "hide",
        "csrf", "xsrf", "next", "page", "pagination", "cursor", "sort", "continuation", "csp",
    ]

    /// Splits a name into lower-case words: separators, camelCase and acronym boundaries.
    public static func tokenize(_ name: String) -> [String] {
        // Over Unicode scalars with ASCII tests: names are ASCII in practice, and any
        // non-ASCII scalar separates words, as it always did.
        var tokens: [String] = []
        var current: [UInt8] = []
        var prev: UInt8 = 0
        let scalars = Array(name.unicodeScalars)
        func flush() {
            if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)); current.removeAll(keepingCapacity: true) }
        }
        @inline(__always) func upper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
        @inline(__always) func lower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
        @inline(__always) func digit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        for (i, scalar) in scalars.enumerated() {
            guard scalar.isASCII else { flush(); continue }
            let b = UInt8(scalar.value)
            if !(upper(b) || lower(b) || digit(b)) { flush(); continue }
            // `prev` keeps its case: `current` holds lower-cased bytes.
            if upper(b), !current.isEmpty {
                let next = i + 1 < scalars.count ? scalars[i + 1] : nil
                let nextIsLower = next.map { $0.isASCII ? lower(UInt8($0.value)) : $0.properties.isLowercase } ?? false
                if lower(prev) || digit(prev) || (upper(prev) && nextIsLower) { flush() }
            }
            current.append(upper(b) ? b + 0x20 : b)
            prev = b
        }
        flush()
        return tokens
    }
}
