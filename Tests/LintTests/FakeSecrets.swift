/// Fake secrets with the right shape and a random value (never real credentials).
import Detection

enum Fake {
    static let alnum = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    static func random(_ n: Int, from set: [Character] = alnum) -> String { String((0..<n).map { _ in set.randomElement()! }) }
    /// GitHub and npm tokens carry a CRC32 checksum: these are well-formed, with random bodies.
    static var github: String { Checksums.makePrefixedCRC32Token(prefix: "ghp_", random: random(30)) }
    static var npm: String { Checksums.makePrefixedCRC32Token(prefix: "npm_", random: random(30)) }
    static var slack: String { "xoxb-" + random(11, from: Array("0123456789")) + "-" + random(13, from: Array("0123456789")) + "-" + random(24) }
    static var awsKeyID: String { "AKIA" + random(16, from: upper) }
    static var awsSecret: String { random(40) }
}
