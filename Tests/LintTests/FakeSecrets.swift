/// Fake secrets with the right shape and a random value (never real credentials).
enum Fake {
    static let alnum = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    static let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    static func random(_ n: Int, from set: [Character] = alnum) -> String { String((0..<n).map { _ in set.randomElement()! }) }
    static var github: String { "ghp_" + random(36) }
    static var npm: String { "npm_" + random(36) }
    static var slack: String { "xoxb-" + random(11, from: Array("0123456789")) + "-" + random(13, from: Array("0123456789")) + "-" + random(24) }
    static var awsKeyID: String { "AKIA" + random(16, from: upper) }
    static var awsSecret: String { random(40) }
}
