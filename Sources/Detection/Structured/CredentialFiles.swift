import Foundation

/// `~/.aws/credentials` and `~/.aws/config`: key ids, secret keys and session tokens per profile,
/// with each secret key paired to its profile's key id.
enum AWSCredentialsFile {
    static func scan(_ text: String) -> [Candidate] {
        var out: [Candidate] = []
        var profile = "default"
        var keyIDs: [String: String] = [:]
        var pending: [(String, Int)] = []
        for (offset, line) in StructuredParsers.lines(text) {
            let s = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if s.hasPrefix("[") { profile = s.trimmingCharacters(in: CharacterSet(charactersIn: "[] \r")); continue }
            if s.hasPrefix("#") || s.hasPrefix(";") { continue }
            guard let (key, range) = StructuredParsers.keyValue(line, at: offset) else { continue }
            let value = StructuredParsers.value(text, range)
            if ValueFilters.isPlaceholder(value) { continue }
            switch key.lowercased() {
            case "aws_access_key_id":
                keyIDs[profile] = value
                out.append(StructuredParsers.candidate("aws-credentials-file", "AWS access key ID in credentials file",
                                                       kind: "aws_access_key_id", range: range, text: text,
                                                       notes: ["profile": profile]))
            case "aws_secret_access_key":
                guard value.count >= 30 else { continue }
                out.append(StructuredParsers.candidate("aws-credentials-file", "AWS secret access key in credentials file",
                                                       kind: "aws_secret_access_key", severity: .critical, range: range,
                                                       text: text, notes: ["profile": profile]))
                pending.append((profile, out.count - 1))
            case "aws_session_token", "aws_security_token":
                out.append(StructuredParsers.candidate("aws-credentials-file", "AWS session token in credentials file",
                                                       kind: "aws_session_token", range: range, text: text,
                                                       notes: ["profile": profile]))
            default:
                continue
            }
        }
        for (p, index) in pending {
            if let id = keyIDs[p] { out[index].notes["pairedWith"] = Redaction.preview(id) }
        }
        // The parsed file knows profiles and pairs: it outranks the pattern rules on the same bytes.
        for i in out.indices { out[i].priority = 80 }
        return out
    }
}

/// `.npmrc`: `_authToken`, `_auth` (base64 user:password) and `_password` (base64), globally or
/// per registry (`//host/:_authToken=…`).
enum NpmrcFile {
    static func scan(_ text: String) -> [Candidate] {
        var out: [Candidate] = []
        for (offset, line) in StructuredParsers.lines(text) {
            guard let (key, range) = StructuredParsers.keyValue(line, at: offset) else { continue }
            let value = StructuredParsers.value(text, range)
            if key.hasPrefix("#") || key.hasPrefix(";") || ValueFilters.isPlaceholder(value) { continue }
            let field = key.split(separator: ":").last.map(String.init) ?? key
            var c: Candidate
            switch field {
            case "_authToken":
                c = StructuredParsers.candidate("npmrc-auth-token", "Registry token in .npmrc", kind: "npm_token",
                                                range: range, text: text, notes: ["field": key])
            case "_auth":
                c = StructuredParsers.candidate("npmrc-auth", "Registry credentials in .npmrc", kind: "basic_auth_b64",
                                                range: range, text: text, notes: ["field": key])
                guard Validators.apply(.base64UserPassword, to: &c, name: nil) else { continue }
            case "_password":
                c = StructuredParsers.candidate("npmrc-password", "Registry password in .npmrc", kind: "basic_auth_b64",
                                                range: range, text: text, notes: ["field": key])
                guard Validators.apply(.base64Printable, to: &c, name: nil) else { continue }
            default:
                continue
            }
            out.append(c)
        }
        return out
    }
}

/// `.pypirc` and other INI files whose `password` keys hold real passwords.
enum INIPasswordFile {
    static func scan(_ text: String, rule: String, title: String) -> [Candidate] {
        var out: [Candidate] = []
        for (offset, line) in StructuredParsers.lines(text) {
            guard let (key, range) = StructuredParsers.keyValue(line, at: offset, separators: [0x3D, 0x3A]) else { continue }
            guard key.lowercased() == "password" else { continue }
            let value = StructuredParsers.value(text, range)
            if ValueFilters.isPlaceholder(value) { continue }
            out.append(StructuredParsers.candidate(rule, title, kind: "generic_password", range: range, text: text))
        }
        return out
    }
}

/// `.netrc`: `machine … login … password …` tokens, on one line or many.
enum NetrcFile {
    static func scan(_ text: String) -> [Candidate] {
        var out: [Candidate] = []
        let bytes = Array(text.utf8)
        var tokens: [(String, Range<Int>)] = []
        var i = 0
        while i < bytes.count {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
            let start = i
            while i < bytes.count, !(bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D) { i += 1 }
            if i > start { tokens.append((String(decoding: bytes[start..<i], as: UTF8.self), start..<i)) }
        }
        var machine = ""
        var t = 0
        while t < tokens.count {
            let word = tokens[t].0
            if (word == "machine" || word == "default") && t + 1 < tokens.count {
                machine = word == "default" ? "default" : tokens[t + 1].0
            }
            if word == "password", t + 1 < tokens.count {
                let (value, range) = tokens[t + 1]
                if !ValueFilters.isPlaceholder(value) && !value.hasSuffix("@") {
                    out.append(StructuredParsers.candidate("netrc-password", "Password in .netrc", kind: "generic_password",
                                                           range: range, text: text, notes: ["machine": machine]))
                }
                t += 2
                continue
            }
            t += 1
        }
        return out
    }
}

/// `.pgpass`: `host:port:database:user:password`, with `\:` escapes.
enum PgpassFile {
    static func scan(_ text: String) -> [Candidate] {
        var out: [Candidate] = []
        for (offset, line) in StructuredParsers.lines(text) {
            let bytes = Array(line)
            if bytes.first == 0x23 { continue }
            var fields = 0
            var i = 0
            while i < bytes.count, fields < 4 {
                if bytes[i] == 0x5C { i += 2; continue }
                if bytes[i] == 0x3A { fields += 1 }
                i += 1
            }
            guard fields == 4 else { continue }
            var hi = bytes.count
            while hi > i, bytes[hi - 1] == 0x0D || bytes[hi - 1] == 0x20 { hi -= 1 }
            guard hi > i else { continue }
            let range = (offset + i)..<(offset + hi)
            let value = StructuredParsers.value(text, range)
            if ValueFilters.isPlaceholder(value) { continue }
            out.append(StructuredParsers.candidate("pgpass-password", "Password in .pgpass", kind: "generic_password",
                                                   range: range, text: text))
        }
        return out
    }
}

/// `.docker/config.json` (and podman's `auth.json`): `auths.<registry>.auth` is base64
/// `user:password`; `identitytoken` and `registrytoken` are bearer credentials.
enum DockerConfigFile {
    static func scan(_ text: String) -> [Candidate] {
        guard let data = text.data(using: .utf8),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        let auths = (root["auths"] as? [String: Any]) ?? root
        var out: [Candidate] = []
        var searchFrom = 0
        let utf8 = Array(text.utf8)
        for (registry, entry) in auths.sorted(by: { $0.key < $1.key }) {
            guard let entry = entry as? [String: Any] else { continue }
            for field in ["auth", "identitytoken", "registrytoken", "password"] {
                guard let value = entry[field] as? String, !value.isEmpty,
                      let range = locate(value, in: utf8, from: 0) else { continue }
                searchFrom = range.upperBound
                var c = StructuredParsers.candidate("docker-config-\(field)", "Registry credentials in docker config",
                                                    kind: field == "auth" ? "docker_config_auth" : "generic_secret",
                                                    range: range, text: text, notes: ["registry": registry])
                if field == "auth" {
                    guard Validators.apply(.base64UserPassword, to: &c, name: nil) else { continue }
                } else if ValueFilters.isPlaceholder(value) {
                    continue
                }
                out.append(c)
            }
        }
        _ = searchFrom
        return out
    }

    static func locate(_ value: String, in bytes: [UInt8], from: Int) -> Range<Int>? {
        let needle = Array(value.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var i = from
        while i + needle.count <= bytes.count {
            if bytes[i] == needle[0], Array(bytes[i..<(i + needle.count)]) == needle { return i..<(i + needle.count) }
            i += 1
        }
        return nil
    }
}

/// PKCS#12 / PFX keystores are binary containers of private keys: the file itself is the finding.
enum PKCS12File {
    static func scan(_ bytes: UnsafeRawBufferPointer) -> [Candidate] {
        guard bytes.count > 16, bytes[0] == 0x30, bytes[1] & 0x80 != 0 || bytes[1] < 0x80 else { return [] }
        let digest = Redaction.sha256Hex(Data(bytes))
        return [Candidate(ruleID: "pkcs12-keystore", title: "PKCS#12 keystore (private key container)",
                          kind: "private_key", severity: .high, confidence: .medium, priority: 90,
                          secretRange: 0..<bytes.count, secret: "pkcs12:sha256:" + digest, checksumValid: nil,
                          notes: ["container": "pkcs12", "bytes": String(bytes.count)])]
    }
}
