/// Recognises values that are not secrets: placeholders, references to the environment or a
/// secret store, documentation examples, hashes, UUIDs, encrypted blobs.
enum ValueFilters {
    static let placeholderWords = [
        "xxxx", "****", "····", "your_", "your-", "yourpass", "yourtoken", "yoursecret", "yourkey", "changeme",
        "change_me", "change-me", "changeit", "replace", "placeholder", "dummy", "example", "sample", "redacted",
        "insert", "notreal", "not-a-real", "not_a_real", "not-real", "fixme", "todo", "...", "…",
        "lorem", "fake", "foobar", "foobared", "secretsmanager", "keyvault", "1234567890",
    ]
    static let placeholderExact: Set<String> = [
        "password", "passwd", "secret", "token", "test", "test123", "testing", "admin", "root", "null", "none", "nil",
        "true", "false", "undefined", "anonymous", "guest", "default", "pass", "pwd", "string", "value", "empty",
        "required", "optional", "user", "username", "key", "apikey", "api_key", "secret_key", "mypassword",
        "mysecret", "mytoken", "s3cr3t", "p@ssw0rd", "p@ssword", "passw0rd", "password1", "password123",
        "123456", "12345678", "qwerty", "letmein", "welcome", "hunter2", "abc123", "bearer", "basic", "postgres",
        "mysql", "redis", "localhost",
    ]
    /// Documentation example values published by providers.
    static let documentedExamples: Set<String> = [
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_BQokikJOvBiI2HlWgH4olfQ2", "pk_test_TYooMQauvdEDq54NiTphI7jx",
        "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AKIAI44QH8DHBEXAMPLE",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    ]
    static let referencePrefixes = [
        "process.env", "os.environ", "os.getenv", "getenv(", "env(", "env.", "system.getenv", "environment.",
        "env[", "$env:", "secrets.", "vars.", "config.", "settings.", "params.", "args.", "this.", "self.",
        "vault:", "arn:", "file:", "ref+", "op://", "sm://", "awssm:", "gcpsm:", "azkv:", "secretref:", "enc[",
        "secret:", "k8s:", "keyring:", "sha256:", "sha384-", "sha512-", "sha1-", "md5:", "{ssha}", "{sha}",
        "{bcrypt}", "{noop}", "!vault", "encrypted:", "cipher:", "kms:", "data:",
    ]

    /// True for values that are templates, references, examples or obvious placeholders.
    static func isPlaceholder(_ value: String) -> Bool {
        let v = trimQuotes(value)
        if v.count < 3 { return true }
        if documentedExamples.contains(v) { return true }
        let lower = v.lowercased()
        if placeholderExact.contains(lower) { return true }
        if placeholderWords.contains(where: { lower.contains($0) }) { return true }
        if v.hasSuffix("EXAMPLE") || v.hasSuffix("EXAMPLEKEY") { return true }
        if isTemplate(v) { return true }
        if referencePrefixes.contains(where: { lower.hasPrefix($0) }) { return true }
        if Set(lower.utf8).count <= 2 { return true }
        return false
    }

    /// `${VAR}`, `$VAR`, `{{ x }}`, `%(x)s`, `#{x}`, `%VAR%`, `@x@`, `<x>`.
    static func isTemplate(_ v: String) -> Bool {
        if v.hasPrefix("${") || v.hasPrefix("$(") || v.hasPrefix("{{") || v.hasPrefix("%(") || v.hasPrefix("#{")
            || v.hasPrefix("<%") || v.hasPrefix("@{") || v.hasPrefix("[[") || v.hasPrefix("%{") { return true }
        if v.contains("${") || v.contains("{{") { return true }
        if v.hasPrefix("<"), v.hasSuffix(">") { return true }
        if v.hasPrefix("$"), let second = v.dropFirst().first, second.isLetter || second == "_" {
            return v.dropFirst().allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        }
        if v.hasPrefix("%"), v.hasSuffix("%"), v.count > 2 { return true }
        if v.hasPrefix("@"), v.hasSuffix("@"), v.count > 2 { return true }
        return false
    }

    static func trimQuotes(_ v: String) -> String {
        var s = Substring(v)
        while let f = s.first, "\"'`".contains(f) { s = s.dropFirst() }
        while let l = s.last, "\"'`".contains(l) { s = s.dropLast() }
        return String(s)
    }

    /// 8-4-4-4-12 hex.
    static func isUUID(_ v: String) -> Bool {
        let parts = v.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return parts.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }

    /// crypt(3)-style password hashes: `$2y$…`, `$6$…`, `$argon2id$…`, `$apr1$…`.
    static func isPasswordHash(_ v: String) -> Bool {
        guard v.hasPrefix("$") else { return false }
        let parts = v.split(separator: "$")
        guard let id = parts.first else { return false }
        return ["1", "2a", "2b", "2y", "5", "6", "7", "y", "gy", "apr1", "argon2i", "argon2id", "argon2d", "scrypt",
                "pbkdf2", "pbkdf2-sha256", "pbkdf2-sha512", "sha1", "md5"].contains(String(id)) && parts.count >= 3
    }

    /// A value in code that names something rather than holding a secret: a dotted identifier
    /// (`config.password`) or a call (`getPassword()`).
    static func isCodeExpression(_ v: String) -> Bool {
        guard let first = v.first, first.isLetter || first == "_" else { return false }
        var sawCall = false
        var segmentStart = true
        for ch in v {
            if ch == "(" { sawCall = true; break }
            if ch == "." { segmentStart = true; continue }
            if segmentStart && !(ch.isLetter || ch == "_") { return false }
            segmentStart = false
            if !(ch.isLetter || ch.isNumber || ch == "_") { return false }
        }
        return sawCall || v.contains(".")
    }

    static func characterClasses(_ v: String) -> (lower: Bool, upper: Bool, digit: Bool, other: Bool) {
        var r = (lower: false, upper: false, digit: false, other: false)
        for b in v.utf8 {
            switch b {
            case 0x61...0x7A: r.lower = true
            case 0x41...0x5A: r.upper = true
            case 0x30...0x39: r.digit = true
            default: r.other = true
            }
        }
        return r
    }

    /// Prose: several alphabetic words separated by spaces (i18n strings, messages).
    static func isProse(_ v: String) -> Bool {
        let words = v.split(separator: " ")
        guard words.count >= 2 else { return false }
        return words.allSatisfy { w in w.allSatisfy { $0.isLetter || ".,!?:;'-".contains($0) } }
    }

    /// Whether `value`, assigned to a secret-looking name of `category`, looks like a real credential.
    static func looksLikeCredential(_ value: String, category: SecretNames.Category) -> Bool {
        let v = trimQuotes(value)
        if isPlaceholder(v) || isUUID(v) || isPasswordHash(v) || isCodeExpression(v) || isProse(v) { return false }
        if v.hasPrefix("/") || v.hasPrefix("./") || v.hasPrefix("~/") || v.hasPrefix("../") { return false }
        let lower = v.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return v.contains("@") }
        let classes = characterClasses(v)
        let letters = classes.lower || classes.upper
        if !letters { return false }
        let count = v.count
        switch category {
        case .password:
            if count < 6 { return false }
            if classes.digit { return true }
            let kinds = [classes.lower, classes.upper, classes.other].filter { $0 }.count
            return count >= 10 && kinds >= 3
        case .secret:
            if count < 8 { return false }
            if classes.digit && Entropy.shannon(v) >= 2.8 { return true }
            return count >= 16 && Entropy.shannon(v) >= 3.8
        }
    }
}
