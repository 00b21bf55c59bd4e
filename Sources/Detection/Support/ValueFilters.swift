/// Recognises values that are not secrets: placeholders, references to the environment or a
/// secret store, documentation examples, hashes, UUIDs, encrypted blobs.
enum ValueFilters {
    static let placeholderWords = [
        "xxxx", "****", "····", "your_", "your-", "yourpass", "yourtoken", "yoursecret", "yourkey", "changeme",
        "change_me", "change-me", "changeit", "replace", "placeholder", "dummy", "example", "sample", "redacted",
        "insert", "notreal", "not-a-real", "not_a_real", "not-real", "fixme", "todo", "...", "…",
        "lorem", "fake", "foobar", "foobared", "secretsmanager", "keyvault", "1234567890", "mytoken", "my-token",
        "my_token", "mysecret", "my-secret", "my_secret", "mypassword", "my-password", "my_password", "mykey", "my-key",
        "my_key",
    ]
    static let placeholderExact: Set<String> = [
        "password", "passwd", "secret", "token", "test", "test123", "testing", "admin", "root", "null", "none", "nil",
        "true", "false", "undefined", "anonymous", "guest", "default", "pass", "pwd", "string", "value", "empty",
        "required", "optional", "user", "username", "key", "apikey", "api_key", "secret_key", "mypassword",
        "mysecret", "mytoken", "s3cr3t", "p@ssw0rd", "p@ssword", "passw0rd", "password1", "password123",
        "123456", "12345678", "qwerty", "letmein", "welcome", "hunter2", "abc123", "bearer", "basic", "postgres",
        "mysql", "redis", "localhost", "xyz", "xyzzy", "abc", "foo", "bar", "baz", "qux", "hello", "world",
        "secret123", "mysecretpassword", "supersecret", "topsecret", "opensesame", "sesame",
    ]
    /// URL user names that mark a documentation example.
    static let placeholderUsers: Set<String> = ["user", "username", "usr", "foo", "abc", "me", "name", "login", "myuser",
                                                "youruser", "someuser", "<user>", "$user", "${user}"]
    static let fileExtensions: Set<String> = ["o", "c", "h", "cc", "cpp", "py", "js", "ts", "rb", "go", "rs", "java",
                                              "json", "yaml", "yml", "toml", "ini", "conf", "cfg", "txt", "md", "pem",
                                              "key", "crt", "cer", "der", "p12", "pfx", "jks", "keystore", "so", "dll",
                                              "xml", "html", "sh", "env", "properties", "gpg", "asc", "pub", "db", "sqlite"]
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
        "{bcrypt}", "{noop}", "!vault", "encrypted:", "cipher:", "kms:", "data:", "enc(", "$ansible_vault",
        "{cipher}", "akv:", "azurekeyvault:", "sealed:", "gaaaaa",
    ]

    static let placeholderWordBytes: [[UInt8]] = placeholderWords.map { Array($0.utf8) }

    /// Byte-level substring test (Foundation's `contains` bridges through NSString: too slow here).
    static func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// ASCII-lowercased bytes of `s`.
    static func lowerBytes(_ s: String) -> [UInt8] {
        s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    /// True for values that are templates, references, examples or obvious placeholders.
    static func isPlaceholder(_ value: String) -> Bool {
        let v = trimQuotes(value)
        if v.utf8.count < 3 { return true }
        if documentedExamples.contains(v) || isDocumentedJWT(v) { return true }
        let lowerUTF8 = lowerBytes(v)
        let lower = String(decoding: lowerUTF8, as: UTF8.self)
        if placeholderExact.contains(lower) { return true }
        if placeholderWordBytes.contains(where: { containsBytes(lowerUTF8, $0) }) { return true }
        if v.hasSuffix("EXAMPLE") || v.hasSuffix("EXAMPLEKEY") { return true }
        if isTemplate(v) || isFormatString(v) { return true }
        if referencePrefixes.contains(where: { lower.hasPrefix($0) }) { return true }
        if Set(lower.utf8).count <= 2 { return true }
        return false
    }

    /// printf/format templates: `%s` or `%d` not followed by a letter or digit, `{}`, `{0}`.
    static func isFormatString(_ v: String) -> Bool {
        let chars = Array(v.utf8)
        if containsBytes(chars, [0x7B, 0x7D]) || containsBytes(chars, [0x7B, 0x30, 0x7D]) { return true }
        for i in 0..<max(0, chars.count - 1) where chars[i] == UInt8(ascii: "%") {
            let spec = chars[i + 1]
            guard "sdvrif".utf8.contains(spec) else { continue }
            if i + 2 >= chars.count { return true }
            let next = chars[i + 2]
            let alnum = (next >= 0x30 && next <= 0x39) || (next >= 0x41 && next <= 0x5A) || (next >= 0x61 && next <= 0x7A)
            if !alnum { return true }
        }
        return false
    }

    /// Identifiers that are public by design: Stripe publishable keys, Twilio account SIDs,
    /// OAuth client ids.
    static func isPublicIdentifier(_ v: String) -> Bool {
        if v.hasPrefix("pk_live_") || v.hasPrefix("pk_test_") { return true }
        if v.hasSuffix(".apps.googleusercontent.com") { return true }
        if v.count == 34, v.hasPrefix("AC"), v.dropFirst(2).allSatisfy(\.isHexDigit) { return true }
        return false
    }

    /// jwt.io's example token (any signature): `{"sub":"1234567890","name":"John Doe",…}`.
    static func isDocumentedJWT(_ v: String) -> Bool {
        guard v.hasPrefix("eyJ") else { return false }
        let parts = v.split(separator: ".")
        guard parts.count >= 2, let payload = Base64.decodeString(String(parts[1])) else { return false }
        return payload.contains("\"sub\":\"1234567890\"") && payload.contains("John Doe")
    }

    /// `${VAR}`, `$VAR`, `{{ x }}`, `%(x)s`, `#{x}`, `%VAR%`, `@x@`, `<x>`.
    static func isTemplate(_ v: String) -> Bool {
        if v.hasPrefix("${") || v.hasPrefix("$(") || v.hasPrefix("{{") || v.hasPrefix("%(") || v.hasPrefix("#{")
            || v.hasPrefix("<%") || v.hasPrefix("@{") || v.hasPrefix("[[") || v.hasPrefix("%{") { return true }
        let bytes = Array(v.utf8)
        if containsBytes(bytes, [0x24, 0x7B]) || containsBytes(bytes, [0x7B, 0x7B]) { return true }
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
        if v.contains(where: \.isNumber) { return false }
        let segments = v.split(separator: ".", omittingEmptySubsequences: false)
        if let call = v.firstIndex(of: "("), v[..<call].allSatisfy({ $0.isLetter || $0 == "_" || $0 == "." }), call != v.startIndex {
            return true
        }
        guard segments.count >= 2, let first = segments.first, !first.isEmpty,
              first.allSatisfy({ $0.isLowercase || $0 == "_" }) else { return false }
        return segments.allSatisfy { s in !s.isEmpty && s.allSatisfy { $0.isLetter || $0 == "_" } }
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

    /// Shell/Perl/PHP interpolation inside a value: `"repo.$name.allow"`, `"${HOME}/x"`.
    static func hasInterpolation(_ v: String) -> Bool {
        var chars = v.makeIterator()
        var run = 0
        var inVar = false
        while let ch = chars.next() {
            if ch == "$" { inVar = true; run = 0; continue }
            if inVar {
                if ch == "{" { return true }
                if ch.isLetter || ch == "_" { run += 1; if run >= 3 { return true } } else { inVar = false }
            }
        }
        return false
    }

    /// Dictionary-ish words joined by `-`, `_`, `.` or `:`: `google-auth-library-credentials`, `oauth2client`.
    static func isWordSequence(_ v: String) -> Bool {
        let parts = v.split(whereSeparator: { "-_.:#/".contains($0) })
        return parts.count >= 2 && parts.allSatisfy { part in
            let letters = part.prefix { $0.isLetter }
            let rest = part.dropFirst(letters.count)
            return letters.count >= 2 && rest.count <= 2 && rest.allSatisfy(\.isNumber)
                && (letters.allSatisfy(\.isLowercase) || letters.dropFirst().allSatisfy(\.isLowercase))
        }
    }

    /// A CamelCase or snake_case identifier of real words (`_EllipticCurvePrivateKey`), not random letters.
    static func isIdentifier(_ v: String) -> Bool {
        guard v.allSatisfy({ $0.isLetter || $0 == "_" }), v.contains(where: \.isLetter) else { return false }
        let words = SecretNames.tokenize(v)
        return words.count >= 2 && words.allSatisfy { $0.count >= 3 && $0.contains(where: { "aeiouy".contains($0) }) }
    }

    /// Prose: several alphabetic words separated by spaces (i18n strings, messages).
    static func isProse(_ v: String) -> Bool {
        let words = v.split(separator: " ")
        guard words.count >= 2 else { return false }
        if words.allSatisfy({ w in w.allSatisfy { $0.isLetter || ".,!?:;'-".contains($0) } }) { return true }
        let plain = words.filter { w in w.count >= 2 && w.allSatisfy { $0.isLetter || ".,!?:;'-".contains($0) } }
        return plain.count * 2 >= words.count
    }

    /// Whether `value`, assigned to a secret-looking name of `category`, looks like a real credential.
    /// Cheap first test: too short, or no letter at all (numbers, durations, sizes).
    static func quickReject(_ value: String) -> Bool {
        var letters = false
        var count = 0
        for b in value.utf8 {
            count += 1
            if (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) { letters = true }
        }
        return count < 6 || !letters
    }

    static func looksLikeCredential(_ value: String, category: SecretNames.Category, quoted: Bool = true,
                                    name: String? = nil) -> Bool {
        if quickReject(value) { return false }
        let v = trimQuotes(value)
        if isPlaceholder(v) || isUUID(v) || isPasswordHash(v) || isCodeExpression(v) || isProse(v) { return false }
        if !quoted && (v.hasPrefix("$") || v.hasPrefix(":") || v.contains("(") || v.contains("[") || v.contains("->")
            || v.contains("::") || v.hasSuffix(")") || v.hasSuffix(";")) { return false }
        if hasInterpolation(v) { return false }
        if let name {
            let n = lowerBytes(name)
            let lv = lowerBytes(v)
            if n.count >= 4 && containsBytes(lv, n) { return false }
            if lv.count >= 4 && containsBytes(n, lv) { return false }
        }
        if isIdentifier(v) || isPublicIdentifier(v) { return false }
        // Maven's `{…}` encrypted passwords and similar whole-value ciphertext wrappers.
        if v.hasPrefix("{"), v.hasSuffix("}"), v.dropFirst().dropLast().allSatisfy({ $0.isLetter || $0.isNumber || "+/=".contains($0) }) {
            return false
        }
        if let dot = v.lastIndex(of: "."), fileExtensions.contains(v[v.index(after: dot)...].lowercased()) { return false }
        if v.hasPrefix("/") || v.hasPrefix("./") || v.hasPrefix("~/") || v.hasPrefix("../") { return false }
        // `name:/path` (systemd LoadCredential=, Docker secrets): a reference to a file.
        if v.contains(":/") && !v.contains("://") { return false }
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
            if count >= 10 && kinds >= 3 { return true }
            // Long random letters (no digit by chance): mixed case with little repetition.
            return count >= 12 && classes.lower && classes.upper && !isWordSequence(v) && Entropy.shannon(v) >= 3.3
        case .secret:
            if count < 8 { return false }
            if classes.digit && Entropy.shannon(v) >= 2.8 { return true }
            if isWordSequence(v) { return false }
            return count >= 16 && Entropy.shannon(v) >= 3.8 && (classes.upper && classes.lower || classes.other)
        }
    }
}
