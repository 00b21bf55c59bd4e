import Detection
import Foundation
import Testing
import TestSupport

/// gitleaks / betterleaks TOML rule files.
@Suite struct CustomConfigTests {
    func write(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-rules-\(UUID().uuidString).toml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static let config = #"""
    title = "corp rules"

    [extend]
    useDefault = true

    [[rules]]
    id = "corp-api-key"
    description = "Corp internal API key"
    regex = '''(?i)\b(corp_[a-z0-9]{32})\b'''
    secretGroup = 1
    entropy = 3.0
    keywords = ["corp_"]
    tags = ["internal"]

        [[rules.allowlists]]
        regexes = ['''corp_0{32}''']
        stopwords = ["sample"]

    [[rules]]
    id = "no-keywords"
    description = "Matched without a keyword prefilter"
    regex = "internal-id-(?P<secret>[0-9]{6})-x"
    path = '''\.cfg$'''

    [allowlist]
    description = "global"
    regexes = ["corp_ignored[a-z0-9]{20}"]
    paths = ['''(^|/)vendor/''']
    """#

    @Test func rulesKeywordsAllowlistsAndExtend() throws {
        let detector = try Detector.withCustomConfig(try write(Self.config), extendDefault: false)
        #expect(detector.rules.contains { $0.id == "github-pat" })
        let key = "corp_" + Fake.string(Fake.lower + Fake.digits, 32)
        let found = detector.scan(text: "X=\(key)\nY=corp_\(String(repeating: "0", count: 32))\n", path: "app/a.env")
        #expect(found.contains { $0.rule == "corp-api-key" && $0.secret == key })
        #expect(!found.contains { $0.secret == "corp_" + String(repeating: "0", count: 32) })
        #expect(detector.scan(text: "X=corp_ignored\(Fake.string(Fake.lower, 20))abcdefghijkl\n", path: "a.env").isEmpty)
        #expect(detector.scan(text: "X=\(key)\n", path: "src/vendor/a.env").isEmpty)
        #expect(detector.scan(text: "internal-id-123456-x\n", path: "etc/app.cfg").map(\.secret) == ["123456"])
        #expect(detector.scan(text: "internal-id-123456-x\n", path: "etc/app.txt").isEmpty)
        #expect(detector.rulesetVersion != (try Detector.standard().rulesetVersion))
    }

    @Test func withoutExtendOnlyTheFileRules() throws {
        let text = Self.config.replacingOccurrences(of: "useDefault = true", with: "useDefault = false")
        let detector = try Detector.withCustomConfig(try write(text), extendDefault: false)
        #expect(detector.rules.map(\.id) == ["corp-api-key", "no-keywords"])
        let extended = try Detector.withCustomConfig(try write(text), extendDefault: true)
        #expect(extended.rules.count > 100)
    }

    @Test func tomlErrorsNameTheLine() throws {
        let bad = "[[rules]]\nid = \"x\"\nregex = \"unterminated\n"
        #expect {
            try Detector.withCustomConfig(try write(bad), extendDefault: false)
        } throws: { error in
            "\(error)".contains(":3:")
        }
        let badRegex = "[[rules]]\nid = \"x\"\nregex = '''(unclosed'''\n"
        #expect {
            try Detector.withCustomConfig(try write(badRegex), extendDefault: false)
        } throws: { error in
            "\(error)".contains("rule x")
        }
    }

    @Test func tomlValueKinds() throws {
        let text = #"""
        # comment
        [[rules]]
        id = 'lit'
        description = """
        multi \
          line"""
        regex = "a\\d+\u0041"
        keywords = [
          "a", # trailing comment
          'b',
        ]
        entropy = 3.5
        secretGroup = 0
        rules.inline = { x = 1, y = [true, false] }
        """#
        let config = try CustomRuleConfig.parse(text, source: "t.toml")
        let rule = try #require(config.rules.first)
        #expect(rule.title == "multi line")
        #expect(rule.regex == #"a\d+A"#)
        #expect(rule.keywords == ["a", "b"])
        #expect(rule.entropy == 3.5)
        #expect(rule.secretGroup == 0)
    }
}
