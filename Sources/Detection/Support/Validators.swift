import Foundation

/// Runs a rule's `Validator` on a candidate: may reject it, or adjust confidence, kind, severity, notes.
/// What a validator knows about the match beyond the secret.
struct ValidationContext {
    var name: String?
    var user: String?
    /// The secret was written between quotes.
    var quoted: Bool
    /// The input's path (source files change what an unquoted value means).
    var path: String = ""
}

enum Validators {
    static func apply(_ validator: Validator, to c: inout Candidate, name: String?) -> Bool {
        apply(validator, to: &c, context: ValidationContext(name: name, user: nil, quoted: false))
    }

    static func apply(_ validator: Validator, to c: inout Candidate, context: ValidationContext) -> Bool {
        let name = context.name
        switch validator {
        case .none:
            return true
        case .githubCRC32, .npmCRC32:
            guard let valid = Checksums.prefixedCRC32Valid(c.secret) else {
                // Older / other shapes have no checksum: keep at the rule's confidence.
                return true
            }
            c.checksumValid = valid
            // A token whose checksum fails was never issued: a made-up value, not a credential.
            guard valid else { return false }
            c.confidence = .high
            return true
        case .jwt:
            return validJWT(&c)
        case .privateKey:
            return markEncryption(&c)
        case .base64PrivateKey:
            guard let decoded = Base64.decodeString(c.secret), decoded.contains("PRIVATE KEY-----") else { return false }
            c.notes["encoding"] = "base64"
            if decoded.contains("ENCRYPTED") {
                c.notes["encrypted"] = "true"
                c.kind = "private_key_encrypted"
                c.severity = .medium
            }
            return true
        case .base64UserPassword:
            guard let decoded = Base64.decodeString(c.secret), Base64.isPrintable(decoded),
                  let colon = decoded.firstIndex(of: ":") else { return false }
            let user = String(decoded[..<colon])
            let password = String(decoded[decoded.index(after: colon)...])
            guard !password.isEmpty, !ValueFilters.isPlaceholder(password) else { return false }
            c.notes["user"] = user
            c.notes["encoding"] = "base64"
            return true
        case .base64Printable:
            guard let decoded = Base64.decodeString(c.secret), Base64.isPrintable(decoded), decoded.count >= 6,
                  !ValueFilters.isPlaceholder(decoded) else { return false }
            c.notes["encoding"] = "base64"
            return true
        case .secretAssignment:
            guard let name, let category = SecretNames.category(of: name) else { return false }
            guard ValueFilters.looksLikeCredential(c.secret, category: category, quoted: context.quoted, name: name) else {
                return false
            }
            // In program source an unquoted right-hand side is an expression, not a literal secret.
            if !context.quoted && PathContext.isSourceCode(context.path) { return false }
            if category == .password {
                c.kind = "generic_password"
                c.ruleID = c.ruleID.replacingOccurrences(of: "generic-secret", with: "generic-password")
                c.title = "Password assigned to \(name)"
            } else {
                c.title = "Secret assigned to \(name)"
            }
            return true
        case .passwordValue:
            return ValueFilters.looksLikeCredential(c.secret, category: .password, quoted: context.quoted, name: nil)
        case .urlPassword:
            let v = c.secret
            if ValueFilters.isPlaceholder(v) || v.allSatisfy({ $0 == "*" || $0 == "x" || $0 == "X" }) { return false }
            if v.hasPrefix("$") || v.hasPrefix("%") { return false }
            if let user = context.user?.lowercased(), ValueFilters.placeholderUsers.contains(user) { return false }
            return v.count >= 4
        }
    }

    static func validJWT(_ c: inout Candidate) -> Bool {
        let parts = c.secret.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Base64.decodeString(String(parts[0])), header.contains("\"alg\""),
              let payload = Base64.decodeString(String(parts[1])) else { return false }
        if header.contains("\"none\"") && parts[2].isEmpty { c.confidence = .low }
        // jwt.io's documented example token.
        if payload.contains("\"sub\":\"1234567890\"") && payload.contains("John Doe") { return false }
        if let data = payload.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let exp = object["exp"] as? Double { c.notes["expires"] = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: exp)) }
            if let iss = object["iss"] as? String { c.notes["issuer"] = iss }
            // No registered claim at all: a library's README example more often than a credential.
            let registered = ["sub", "iss", "aud", "exp", "iat", "nbf", "jti", "azp", "scope", "client_id", "uid", "user_id", "role"]
            if !registered.contains(where: { object[$0] != nil }) { c.confidence = .low; c.severity = .low }
        } else {
            return false
        }
        return true
    }

    /// Marks `Proc-Type: 4,ENCRYPTED`, `ENCRYPTED PRIVATE KEY` and OpenSSH keys with a cipher.
    static func markEncryption(_ c: inout Candidate) -> Bool {
        let block = c.secret
        let body = block.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).filter { !$0.hasPrefix("-----") && !$0.contains(":") }
            .joined().replacingOccurrences(of: "\\n", with: "").replacingOccurrences(of: "\\r", with: "")
        // Documentation stand-ins: `XXXX`, `<key bytes>`, `...`, or too short to hold any key.
        if body.count < 64 || body.contains("XXXX") || body.contains("xxxx") || body.contains("...") { return false }
        var encrypted = block.contains("ENCRYPTED")
        if !encrypted, block.contains("BEGIN OPENSSH PRIVATE KEY") {
            let body = block.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("-----") }.joined()
                .replacingOccurrences(of: "\\n", with: "")
            if let bytes = Base64.decode(String(body.prefix(200))) ?? Base64.decode(String(body.prefix(100))) {
                // "openssh-key-v1\0" then a length-prefixed cipher name.
                let magic = Array("openssh-key-v1\0".utf8)
                if bytes.count > magic.count + 4, Array(bytes.prefix(magic.count)) == magic {
                    let i = magic.count
                    let length = Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
                    if length > 0, i + 4 + length <= bytes.count {
                        let cipher = String(decoding: bytes[(i + 4)..<(i + 4 + length)], as: UTF8.self)
                        if cipher != "none" { encrypted = true; c.notes["cipher"] = cipher }
                    }
                }
            }
        }
        if encrypted {
            c.notes["encrypted"] = "true"
            c.kind = "private_key_encrypted"
            c.severity = .medium
            c.title = "Encrypted private key"
        }
        return true
    }
}
