import Detection
import Foundation
import LayerIndex
@testable import Scanner

/// A small stand-in for the detection engine, so the image-aware parts are tested on their
/// own: GitHub and npm tokens, Slack bot tokens and `password=` assignments.
struct FindingsTestMatcher: ContentMatcher {
    static let patterns: [(rule: String, regex: String, severity: Severity)] = [
        ("github-pat", #"ghp_[A-Za-z0-9]{36}"#, .high),
        ("npm-token", #"npm_[A-Za-z0-9]{36}"#, .high),
        ("slack-bot-token", #"xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24}"#, .high),
        ("generic-password", #"(?<=password=)[^\s"']{8,}"#, .medium),
    ]

    func scan(bytes: UnsafeRawBufferPointer, path: String) -> [Match] {
        let text = String(decoding: bytes, as: UTF8.self)
        let ns = text as NSString
        var out: [Match] = []
        for p in Self.patterns {
            let regex = try! NSRegularExpression(pattern: p.regex)
            for r in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                let secret = ns.substring(with: r.range)
                let start = ns.substring(to: r.range.location).utf8.count
                out.append(Self.match(rule: p.rule, secret: secret, severity: p.severity, in: bytes, start: start))
            }
        }
        return out.sorted { $0.start < $1.start }
    }

    func looksSecret(name: String) -> Bool {
        let upper = name.uppercased()
        return ["TOKEN", "PASSWORD", "SECRET", "_KEY", "PSW"].contains { upper.contains($0) }
    }

    func genericSecret(name: String, value: String) -> Match? {
        guard value.count >= 6, !value.contains("$"), value.lowercased() != "changeme" else { return nil }
        var m = Self.match(rule: "generic-secret", secret: value, severity: .medium, in: nil, start: 0)
        m.confidence = .low
        return m
    }

    static func match(rule: String, secret: String, severity: Severity, in bytes: UnsafeRawBufferPointer?, start: Int) -> Match {
        var line = 1, column = 1
        if let bytes {
            for i in 0..<start {
                if bytes[i] == 0x0A { line += 1; column = 1 } else { column += 1 }
            }
        }
        return Match(rule: rule, title: rule, kind: rule, severity: severity, confidence: .high, line: line, column: column,
                     start: start, end: start + secret.utf8.count, secret: secret,
                     fingerprint: "sha256:" + SHA256Hasher.hex(of: Array(secret.utf8)),
                     preview: String(secret.prefix(4)) + "****")
    }
}

/// Fake secrets (right shape, random-looking value) used across the findings tests.
enum FakeSecrets {
    static let github = "ghp_" + "Zq3kPq7VbN2xLr8TtY4mWc1Hs6Df0Gj5Ke9A"
    static let npm = "npm_" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7C"
    static let slack = "xoxb-" + "1234567890123-1234567890123-" + "AbCdEfGhIjKlMnOpQrStUvWx"
}
