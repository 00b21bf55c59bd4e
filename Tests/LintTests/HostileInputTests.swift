import Foundation
import Testing
@testable import Lint

/// Dockerfiles and ignore files are attacker-writable in a PR: nothing may crash or hang.
@Suite struct HostileInputTests {
    @Test func randomBytesNeverCrashTheParserOrChecks() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("RUNCOPYENVARGFROM \\`\"'$${}<<-EOF\n\t=#[]:,/.*!?") + ["\u{0}", "\u{1B}", "é", "\r"]
        for _ in 0..<300 {
            let length = Int.random(in: 0..<400, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            if let df = try? DockerfileParser.parse(text) {
                _ = Linter(engine: BuiltinSecretEngine()).lint(df)
                _ = HistoryMatcher.align(df, createdBy: ["/bin/sh -c \(text.prefix(40))"])
            }
            _ = try? DockerIgnore(text)
        }
    }

    @Test func deepNesting() throws {
        let nested = String(repeating: "${A:-", count: 5000) + "x" + String(repeating: "}", count: 5000)
        _ = ShellWords.process(nested, lookup: { _ in nil })
    }

    @Test func hugeInputsStayBounded() throws {
        let big = "FROM a\n" + (0..<20000).map { "RUN echo \($0) && \\\n  true" }.joined(separator: "\n") + "\n"
        let df = try DockerfileParser.parse(big)
        #expect(df.instructions.count == 20001)
        #expect(df.instructions.last?.endLine == 40001)
        // 2001 stars: 1000 `**` groups then `*` (BuildKit's regexp: `(.*/)?`×1000 `[^/]*\.pem`).
        let ignore = try DockerIgnore(patterns: [String(repeating: "*", count: 2001) + ".pem"])
        #expect(ignore.excludes("a.pem"))
        #expect(ignore.excludes("x/y/a.pem"))
        let deepPath = (0..<300).map { _ in "a" }.joined(separator: "/") + "/x.txt"
        // Runs of `**` collapse, so these finish (ICU backtracking would not on the raw regex).
        #expect(!ignore.excludes(deepPath))
        #expect(!(try DockerIgnore(patterns: ["**/**/**/**/**/**/**/**/*.pem"])).excludes(deepPath))
    }

    @Test func controlCharactersAreEscapedInOutput() throws {
        let df = try DockerfileParser.parse("FROM a\nARG EVIL_TOKEN\u{1B}[2J\n")
        let out = LintOutput.render(Linter().lint(df), format: .table)
        #expect(!out.contains("\u{1B}"))
    }

    @Test func globalArgStageReference() throws {
        let df = try DockerfileParser.parse("ARG BUILDER=build\nFROM a AS build\nRUN echo \"x\" > /root/.npmrc && echo _authToken=$NPM_TOKEN >> /root/.npmrc\nFROM b\nCOPY --from=${BUILDER} /root /root\n")
        let f = Linter().lint(df)
        #expect(f.contains { $0.ruleID == "DF010" && $0.line == 5 })
    }
}
