/// Fake but well-formed secrets for the demo image, generated at run time from a fixed seed so
/// no secret-shaped literal lives in the source, and every run shows the same values.
public struct DemoSecrets: Sendable {
    public let githubToken: String
    public let npmToken: String
    public let awsAccessKeyID: String
    public let awsSecretKey: String
    public let stripeKey: String
    public let apiKey: String
    public let databasePassword: String
    public let sshPrivateKey: String

    public init(seed: UInt64 = 0x5747_4154_4153) {
        var rng = SplitMix64(seed: seed)
        let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        let upper32 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        let base64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        func pick(_ alphabet: [Character], _ n: Int) -> String { String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }) }
        githubToken = DemoSecrets.checksummed(prefix: "ghp_", body: pick(base62, 30))
        npmToken = DemoSecrets.checksummed(prefix: "npm_", body: pick(base62, 30))
        awsAccessKeyID = "AKIA" + pick(upper32, 16)
        awsSecretKey = pick(base64, 40)
        stripeKey = "sk_live_" + pick(base62, 24)
        apiKey = "sk_live_" + pick(base62, 24)
        databasePassword = pick(base62, 20)
        // An OpenSSH private key envelope around random bytes: the right shape, no real key.
        var body: [UInt8] = Array("openssh-key-v1".utf8) + [0]
        body += [0, 0, 0, 4] + Array("none".utf8) + [0, 0, 0, 4] + Array("none".utf8) + [0, 0, 0, 0, 0, 0, 0, 1]
        body += [0, 0, 0, 0x33, 0, 0, 0, 0x0b] + Array("ssh-ed25519".utf8) + [0, 0, 0, 0x20]
        for _ in 0..<(32 + 96) { body.append(UInt8(truncatingIfNeeded: rng.next())) }
        let encoded = DemoSecrets.base64(body)
        var lines = ["-----BEGIN OPENSSH PRIVATE KEY-----"]
        var rest = Substring(encoded)
        while !rest.isEmpty { lines.append(String(rest.prefix(70))); rest = rest.dropFirst(70) }
        lines.append("-----END OPENSSH PRIVATE KEY-----")
        sshPrivateKey = lines.joined(separator: "\n") + "\n"
    }

    /// GitHub and npm tokens end in a base62 CRC32 of their random part (6 characters).
    public static func checksummed(prefix: String, body: String) -> String {
        prefix + body + base62(crc32(Array(body.utf8)), width: 6)
    }

    public static func base62(_ value: UInt32, width: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var v = value
        var out: [Character] = []
        while v > 0 { out.append(alphabet[Int(v % 62)]); v /= 62 }
        while out.count < width { out.append("0") }
        return String(out.reversed())
    }

    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i]), b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            out.append(table[Int(n >> 18 & 63)])
            out.append(table[Int(n >> 12 & 63)])
            out.append(i + 1 < bytes.count ? table[Int(n >> 6 & 63)] : "=")
            out.append(i + 2 < bytes.count ? table[Int(n & 63)] : "=")
            i += 3
        }
        return out
    }
}

/// A small deterministic generator (SplitMix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
