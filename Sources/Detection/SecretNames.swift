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
        if excludedLast.contains(last) || (last.hasSuffix("s") && excludedLast.contains(String(last.dropLast()))) { return nil }
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
        if t.contains("password") || t.contains("passwd") || t.contains("passphrase") { return .password }
        if t.hasSuffix("pwd") || t.hasSuffix("psw") || t.hasSuffix("pass") && t.count <= 12 && !t.hasSuffix("bypass")
            && !t.hasSuffix("compass") && !t.hasSuffix("class") { return .password }
        if t.contains("secret") { return .secret }
        if t.contains("token") && !t.hasPrefix("tokeniz") { return .secret }
        if t.hasSuffix("apikey") || t.hasSuffix("apisecret") || t == "salt" || t == "pat" {
            return .secret
        }
        if t.contains("credential") { return .secret }
        if t == "key" || t == "keys" {
            guard let p = previous else { return nil }
            return keyNonSecretQualifiers.contains(p) ? nil : .secret
        }
        if t.hasSuffix("key"), let q = keyQualifiers.first(where: { t == $0 + "key" }) {
            _ = q
            return .secret
        }
        return nil
    }

    static let passwordExact: Set<String> = ["pw", "pwd", "pass", "psw", "passwd", "pwd", "requirepass", "masterauth"]
    static let keyQualifiers = ["api", "access", "secret", "private", "master", "session", "encryption", "encrypt",
                                "signing", "sign", "auth", "client", "app", "license", "account", "storage", "crypt",
                                "hmac", "jwt", "cipher", "aes", "admin", "service", "shared", "webhook", "consumer"]
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
        var tokens: [String] = []
        var current: [Character] = []
        let chars = Array(name)
        func flush() {
            if !current.isEmpty { tokens.append(String(current).lowercased()); current = [] }
        }
        for (i, ch) in chars.enumerated() {
            if !(ch.isLetter || ch.isNumber) || !ch.isASCII { flush(); continue }
            if ch.isUppercase, let prev = current.last {
                let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
                if prev.isLowercase || prev.isNumber || (prev.isUppercase && nextIsLower) { flush() }
            }
            current.append(ch)
        }
        flush()
        return tokens
    }
}
