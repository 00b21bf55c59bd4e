@testable import Detection
import Foundation
import Testing

/// Names, redaction, sniffing, checksums, ruleset identity, threads, custom TOML rules.
@Suite struct SecretNamesTests {
    @Test(arguments: ["DB_PASSWORD", "PGPASSWORD", "POSTGRES_PASSWORD", "SERVICE_PWD", "JENKINS_PSW", "API_KEY", "apiKey",
                      "GITHUB_TOKEN", "client_secret", "SECRET_KEY_BASE", "aws.secret.access.key", "NPM_AUTH_TOKEN",
                      "encryptionKey", "AUTH_SALT", "rabbitmq_default_pass", "ClearTextPassword", "_auth", "SECRET",
                      "access-token", "datadog-api-key", "privateKey", "MASTER_KEY"])
    func secretNames(_ name: String) {
        #expect(SecretNames.looksSecret(name), "\(name)")
    }

    @Test(arguments: ["PUBLIC_KEY", "KEY_ID", "AWS_ACCESS_KEY_ID", "PASSWORD_FILE", "token_ttl", "TOKEN_TYPE",
                      "password_min_length", "forgot_password", "AUTH_TOKEN_HEADER", "SECRET_NAME", "keyName",
                      "sentryAuthTokenRef", "PATH", "HOME", "KEYBOARD", "primaryKey", "sort_key", "tokenizer", "passthrough",
                      "compass", "api_key_url", "TOKEN_ENDPOINT", "publishable_key", "PASSWORD_HASH", "monkey"])
    func notSecretNames(_ name: String) {
        #expect(!SecretNames.looksSecret(name), "\(name)")
    }

    @Test func categories() {
        #expect(SecretNames.category(of: "DB_PASSWORD") == .password)
        #expect(SecretNames.category(of: "API_TOKEN") == .secret)
        #expect(SecretNames.tokenize("myHTTPServerAPIKey_v2") == ["my", "http", "server", "api", "key", "v2"])
    }
}

@Suite struct RedactionTests {
    @Test func previewKeepsOnlyAPrefix() {
        let token = Fake.github()
        #expect(Redaction.preview(token) == "ghp_****…(40 chars)")
        #expect(Redaction.preview("hunter2hunter2") == "hu****…(14 chars)")
        #expect(Redaction.preview("abc") == "****…(3 chars)")
        #expect(!Redaction.preview("Zq8vLmN3pQ7rT2wX").contains("Zq8vLmN3"))
    }

    @Test func fingerprintIsStableSHA256() {
        #expect(Redaction.fingerprint("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}

@Suite struct ContentSnifferTests {
    func sniff(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { ContentSniffer.isProbablyText($0) } }

    @Test func textAndBinary() {
        #expect(sniff(Array("KEY=value\nother=1\n".utf8)))
        #expect(sniff(Array("naïve café — ünïcödé\n".utf8)))
        #expect(!sniff([0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + Array(repeating: 0, count: 100)))
        #expect(!sniff([0x1F, 0x8B, 8, 0, 0, 0]))
        #expect(!sniff(Array("text with a nul\0 inside".utf8)))
        #expect(sniff(Array("SQLite format 3\0".utf8) + Array(repeating: 0, count: 100)))
    }

    /// Up to 2% of stray control bytes is still text; tab, CR, form feed and ESC never count.
    @Test func controlByteRatio() {
        let line = Array("x".utf8) + Array(repeating: UInt8(ascii: "a"), count: 99)
        #expect(sniff(Array(repeating: 0x07, count: 2) + Array(line.dropFirst(2))))
        #expect(!sniff(Array(repeating: 0x07, count: 3) + Array(line.dropFirst(3))))
        #expect(sniff([0x09, 0x0D, 0x0C, 0x1B, 0x0A] + Array(repeating: UInt8(ascii: "a"), count: 5)))
    }
}

@Suite struct NewlinesTests {
    /// The eight-bytes-at-a-time count agrees with a plain loop on every length and alignment,
    /// including runs longer than one lane's 255-word capacity.
    @Test func agreesWithAPlainCount() {
        var generator = SystemRandomNumberGenerator()
        for length in Array(0..<40) + [2039, 2040, 2041, 9000, 70_000] {
            for density in [0, 1, 30, 256] {
                let bytes: [UInt8] = (0..<length).map { _ in
                    density > 0 && Int.random(in: 0..<density, using: &generator) == 0 ? 0x0A : UInt8.random(in: 0...255, using: &generator) | 0x80
                }
                let expected = (bytes.filter { $0 == 0x0A }.count, bytes.lastIndex(of: 0x0A))
                let got = bytes.withUnsafeBytes { Newlines.scan($0) }
                #expect(got.count == expected.0 && got.last == expected.1, "length \(length) density \(density)")
            }
        }
        let all = [UInt8](repeating: 0x0A, count: 5000)
        #expect(all.withUnsafeBytes { Newlines.scan($0) } == (5000, 4999))
    }
}

@Suite struct ChecksumTests {
    @Test func githubStyleCRC32() {
        let token = Checksums.makePrefixedCRC32Token(prefix: "ghp_", random: "abcdefghijklmnopqrstuvwxyz0123")
        #expect(token.count == 40)
        #expect(Checksums.prefixedCRC32Valid(token) == true)
        #expect(Checksums.prefixedCRC32Valid(String(token.dropLast()) + "x") == false)
        #expect(Checksums.prefixedCRC32Valid("ghp_short") == nil)
        #expect(Checksums.base62(0) == "000000")
        #expect(Checksums.base62(61) == "00000z")
    }
}

@Suite struct DetectorEngineTests {
    @Test func standardIsCachedAndBroad() throws {
        let a = try Detector.standard()
        let b = try Detector.standard()
        #expect(a === b)
        #expect(a.rules.count >= 150)
        #expect(Set(a.rules.map(\.id)).count == a.rules.count)
        #expect(a.rules.allSatisfy { !$0.keywords.isEmpty })
    }

    @Test func rulesetVersionIsStableAndSensitive() throws {
        let rules = Array(BuiltinRules.all.prefix(5))
        let v1 = try Detector(rules: rules).rulesetVersion
        let v2 = try Detector(rules: rules).rulesetVersion
        var changed = rules
        changed[0].regex += "x"
        #expect(v1 == v2)
        #expect(try Detector(rules: changed).rulesetVersion != v1)
        var renoted = rules
        renoted[1].notes["x"] = "y"
        #expect(try Detector(rules: renoted).rulesetVersion != v1)
        // Every stored field of a rule is part of the hash: a new field must be added there too.
        #expect(Mirror(reflecting: rules[0]).children.count == Rule.canonicalFieldCount)
        // The built-in detector (compiled in the background) has the same identity.
        #expect(try Detector.standard().rulesetVersion == Detector(rules: BuiltinRules.all).rulesetVersion)
    }

    @Test func concurrentScansAgree() throws {
        let detector = try Detector.standard()
        let texts = (0..<16).map { i in
            "A_TOKEN=\(Fake.github())\nDB_PASSWORD=\(Fake.password())\nfiller \(i)\n" + Fake.pem("RSA PRIVATE KEY", lines: 25)
        }
        let expected = texts.map { detector.find($0).compactMap(\.secret) }
        let results = Locked(Array(repeating: [String](), count: texts.count * 8))
        DispatchQueue.concurrentPerform(iterations: texts.count * 8) { i in
            let found = detector.find(texts[i % texts.count]).compactMap(\.secret)
            results.withLock { $0[i] = found }
        }
        let all = results.withLock { $0 }
        for i in all.indices { #expect(all[i] == expected[i % texts.count]) }
        #expect(expected.allSatisfy { $0.count == 3 })
    }

    @Test func lineAndColumnOfEachMatch() throws {
        let token = Fake.github()
        let text = "first line\n\n    key: \(token)\n"
        let m = try #require(try Detector.standard().find(text).first)
        #expect(m.line == 3)
        #expect(m.column == 10)
        #expect(m.start == 21 && m.end == 61)
    }

    @Test func invalidPatternIsAClearError() {
        let bad = Rule(id: "broken", title: "Broken", kind: "x", regex: "(unclosed", keywords: ["x"])
        #expect(throws: DetectionError.self) { try Detector(rules: [bad]) }
    }

    @Test func hugeAndBinaryInputsDoNotCrash() throws {
        let detector = try Detector.standard()
        var noise = [UInt8](repeating: 0, count: 4 << 20)
        var state: UInt64 = 0x9E3779B97F4A7C15
        for i in noise.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            noise[i] = UInt8(truncatingIfNeeded: state >> 56)
        }
        _ = noise.withUnsafeBytes { detector.scan($0, path: "bin/blob") }
        let repeated = String(repeating: "password=password token=token key=key ", count: 50_000)
        #expect(detector.find(repeated).isEmpty)
    }
}

/// A tiny lock box for test results gathered from several threads.
final class Locked<T>: @unchecked Sendable {
    private var value: T
    private let lock = NSLock()
    init(_ value: T) { self.value = value }
    func withLock<R>(_ body: (inout T) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&value) }
}

/// A keyword database kept between runs must behave exactly like a fresh compile, and bad
/// stored bytes must fall back to compiling.
@Suite struct StoredKeywordDatabaseTests {
    final class MemoryStore: CompiledDatabaseStore, @unchecked Sendable {
        var files: [String: [UInt8]] = [:]
        var loads = 0, saves = 0
        func load(key: String) -> [UInt8]? { loads += 1; return files[key] }
        func save(key: String, bytes: [UInt8]) { saves += 1; files[key] = bytes }
    }

    let keywords: [(String, Bool)] = [("ghp_", true), ("password", false), ("AKIA", true), ("x-api-key", false)]
    let text = Array("PASSWORD=1 ghp_abc AKIA akia X-Api-Key: z password".utf8)

    func hits(_ prefilter: KeywordPrefilter) -> [String] {
        text.withUnsafeBytes { prefilter.hits(in: $0) }.map { "\($0.id)@\($0.end)" }
    }

    @Test func storedDatabaseGivesTheSameHits() throws {
        let store = MemoryStore()
        let fresh = try KeywordPrefilter(keywords: keywords, store: store)
        #expect(store.saves == 1 && store.files.count == 1)
        let loaded = try KeywordPrefilter(keywords: keywords, store: store)
        #expect(store.saves == 1, "the second build loaded the stored database instead of compiling")
        #expect(hits(loaded) == hits(fresh))
        #expect(hits(fresh) == hits(try KeywordPrefilter(keywords: keywords)))
        // Other keywords (or another case flag) are another database.
        _ = try KeywordPrefilter(keywords: [("ghp_", false)] + keywords.dropFirst(), store: store)
        #expect(store.files.count == 2)
    }

    @Test func unusableStoredBytesAreCompiledAgain() throws {
        let store = MemoryStore()
        store.files[KeywordPrefilter.storeKey(keywords)] = Array(repeating: 0x41, count: 4096)
        let prefilter = try KeywordPrefilter(keywords: keywords, store: store)
        #expect(hits(prefilter) == hits(try KeywordPrefilter(keywords: keywords)))
        #expect(store.saves == 1, "the refused bytes were replaced by a fresh compile")
    }
}
