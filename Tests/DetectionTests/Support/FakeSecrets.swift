import Detection
import Foundation

/// Well-formed fake secrets with random values (never real credentials).
enum Fake {
    static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let lower = Array("abcdefghijklmnopqrstuvwxyz")
    static let digits = Array("0123456789")
    static let base62 = upper + lower + digits
    static let hexDigits = Array("0123456789abcdef")

    static func string(_ alphabet: [Character], _ count: Int) -> String {
        // Guarantee a digit and both cases when the alphabet has them, like real random tokens.
        var out = (0..<count).map { _ in alphabet.randomElement()! }
        if count >= 3, alphabet.contains("a"), alphabet.contains("A"), alphabet.contains("0") {
            out[0] = upper.randomElement()!
            out[1] = lower.randomElement()!
            out[2] = digits.randomElement()!
            out.shuffle()
        }
        return String(out)
    }

    static func b62(_ n: Int) -> String { string(base62, n) }
    static func hex(_ n: Int) -> String { string(hexDigits, n) }

    static func github(_ prefix: String = "ghp_") -> String {
        Checksums.makePrefixedCRC32Token(prefix: prefix, random: b62(30))
    }

    static func npm() -> String { Checksums.makePrefixedCRC32Token(prefix: "npm_", random: b62(30)) }

    static func awsKeyID() -> String { "AKIA" + string(upper + Array("234567"), 16) }
    static func awsSecret() -> String { string(base62 + ["/", "+"], 40) }

    static func base64url(_ text: String) -> String {
        Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func jwt(payload: String = #"{"sub":"svc-\#(Int.random(in: 1000...9999))","iat":1700000000}"#) -> String {
        base64url(#"{"alg":"HS256","typ":"JWT"}"#) + "." + base64url(payload) + "." + string(base62 + ["-", "_"], 43)
    }

    static func password() -> String { b62(14) + "~" + String(Int.random(in: 10...99)) }

    /// A PEM block with a random body of `lines` full lines.
    static func pem(_ label: String, lines: Int = 12, headers: String = "") -> String {
        var body = ""
        for _ in 0..<lines { body += string(base62 + ["+", "/"], 64) + "\n" }
        return "-----BEGIN \(label)-----\n\(headers)\(body)-----END \(label)-----\n"
    }

    /// An OpenSSH private key whose header names `cipher` (`none` for an unencrypted key).
    static func openSSHKey(cipher: String) -> String {
        var bytes = Array("openssh-key-v1\0".utf8)
        func string(_ s: String) {
            let u = Array(s.utf8)
            bytes += [0, 0, 0, UInt8(u.count)] + u
        }
        string(cipher)
        string(cipher == "none" ? "none" : "bcrypt")
        string("")
        bytes += (0..<300).map { _ in UInt8.random(in: 0...255) }
        let b64 = Data(bytes).base64EncodedString()
        var lines: [String] = []
        var i = b64.startIndex
        while i < b64.endIndex {
            let j = b64.index(i, offsetBy: 70, limitedBy: b64.endIndex) ?? b64.endIndex
            lines.append(String(b64[i..<j]))
            i = j
        }
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + lines.joined(separator: "\n") + "\n-----END OPENSSH PRIVATE KEY-----\n"
    }
}

extension Detector {
    /// Scans `text` as the file at `path` (tests).
    func find(_ text: String, path: String = "app/config.txt") -> [Match] {
        scan(text: text, path: path)
    }
}
