import Testing
@testable import Lint

/// BuildKit (moby/patternmatcher) semantics, case by case: (patterns, path, excluded?).
@Suite struct DockerIgnoreTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var patterns: [String]
        var path: String
        var excluded: Bool
        var testDescription: String { "\(patterns) \(path) -> \(excluded)" }
        init(_ patterns: [String], _ path: String, _ excluded: Bool) {
            self.patterns = patterns
            self.path = path
            self.excluded = excluded
        }
    }

    static let cases: [Case] = [
        // Exact names are relative to the context root: no implicit recursion.
        Case([".env"], ".env", true),
        Case([".env"], "app/.env", false),
        Case([".env"], ".envrc", false),
        Case(["/.env"], ".env", true),                      // leading / dropped
        Case(["./.env"], ".env", true),                     // filepath.Clean
        Case(["secrets/../.env"], ".env", true),
        Case(["  .env  "], ".env", true),                   // blanks trimmed
        Case(["**/.env"], ".env", true),
        Case(["**/.env"], "app/.env", true),
        Case(["**/.env"], "a/b/c/.env", true),
        Case(["**/.env"], "app/x.env", false),
        Case(["*/.env"], "app/.env", true),
        Case(["*/.env"], "a/b/.env", false),
        Case([".env*"], ".env.local", true),
        Case([".env.*"], ".env.production", true),
        Case([".env.*"], ".env", false),
        // Directories: trailing slash means nothing; a matching parent excludes its contents.
        Case(["secrets/"], "secrets/slack.json", true),
        Case(["secrets"], "secrets/a/b.json", true),
        Case(["secrets"], "app/secrets/x", false),
        Case(["**/secrets"], "app/secrets/x", true),
        Case([".ssh"], ".ssh/id_rsa", true),
        Case([".aws/"], ".aws/credentials", true),
        Case([".git"], ".git/config", true),
        Case(["credentials"], ".aws/credentials", false),
        Case(["**/credentials"], ".aws/credentials", true),
        Case(["certs/*"], "certs/x/y.pem", true),           // parent certs/x matches certs/*
        // * and ? never cross a slash; ** does.
        Case(["*.pem"], "server.pem", true),
        Case(["*.pem"], "certs/server.pem", false),
        Case(["**/*.pem"], "certs/server.pem", true),
        Case(["**/*.pem"], "server.pem", true),
        Case(["*/*.pem"], "certs/server.pem", true),
        Case(["*/*.pem"], "a/certs/server.pem", false),
        Case(["*_rsa"], "id_rsa", true),
        Case(["*_rsa"], "id_rsa.pub", false),
        Case(["**/*_rsa"], "home/.ssh/id_rsa", true),
        Case(["?.key"], "a.key", true),
        Case(["?.key"], "ab.key", false),
        Case(["?.key"], "/.key", false),
        Case(["[ab].key"], "b.key", true),
        Case(["[ab].key"], "c.key", false),
        Case(["[^a].key"], "b.key", true),
        Case(["[^a].key"], "a.key", false),
        Case(["[a-c]*.json"], "cfg.json", true),
        Case(["docs/**"], "docs/a/b.md", true),
        Case(["docs/**"], "docsx/a", false),
        Case(["**"], "anything/here", true),
        Case(["a/**/b"], "a/b", true),
        Case(["a/**/b"], "a/x/y/b", true),
        Case(["a/**/b"], "a/xb", false),
        Case(["**/secrets/**"], "x/secrets/y", true),
        Case(["**/secrets/**"], "secrets/y", true),
        Case(["**/secrets/**"], "x/secretsy", false),
        Case(["file.txt"], "file.txt", true),
        Case(["file.txt"], "fileXtxt", false),             // . is literal
        Case(["a+b(c)"], "a+b(c)", true),                   // regexp specials are literal
        // Comments: only a # in the first column.
        Case(["# comment", ".env"], ".env", true),
        Case(["#.env"], "#.env", false),
        // Exceptions: evaluated in order, the last matching pattern wins.
        Case([".env", "!.env"], ".env", false),             // a later ! re-includes a credential file
        Case(["!.env", ".env"], ".env", true),
        Case([".aws/", "!.aws/config"], ".aws/config", false),
        Case([".aws/", "!.aws/config"], ".aws/credentials", true),
        Case(["*", "!app/"], "app/main.py", false),
        Case(["*", "!app/"], "app/.env", false),            // re-included directory brings .env back
        Case(["*", "!app/"], ".env", true),
        Case(["**/.env", "!app/.env"], "app/.env", false),
        Case(["**/.env", "!app/.env"], "lib/.env", true),
        Case(["**/.env", "!app/.env", "**/.env"], "app/.env", true),
        Case(["*.key", "!public.key"], "public.key", false),
        Case(["*.key", "!public.key"], "private.key", true),
        Case(["dir", "!dir/keep"], "dir/keep", false),
        Case(["dir", "!dir/keep"], "dir/other", true),
        Case(["dir/*", "!dir/keep/*"], "dir/keep/a", false),
        Case(["secrets", "!secrets/public", "secrets/public/token.txt"], "secrets/public/token.txt", true),
        Case(["secrets", "!secrets/public", "secrets/public/token.txt"], "secrets/public/readme", false),
        Case(["!app/.env"], "app/.env", false),             // an exception alone excludes nothing
        Case(["\\*.txt"], "*.txt", true),                   // an escaped * is literal
        Case(["\\*.txt"], "a.txt", false),
    ]

    @Test(arguments: cases)
    func pattern(_ c: Case) throws {
        let ignore = try DockerIgnore(patterns: c.patterns)
        #expect(ignore.excludes(c.path) == c.excluded)
    }

    @Test func fileSyntaxAndDecidingPattern() throws {
        let text = "\u{FEFF}# keep secrets out\r\n.env\n\n  # not a comment: leading blank\n!.env\n**/*.pem\n"
        let ignore = try DockerIgnore(text)
        #expect(ignore.patterns.map(\.written) == [".env", "# not a comment: leading blank", "!.env", "**/*.pem"])
        let env = ignore.evaluate(".env")
        #expect(env.excluded == false)
        #expect(env.decidedBy?.written == "!.env")
        #expect(env.decidedBy?.line == 5)
        #expect(ignore.evaluate("a/b.pem").decidedBy?.line == 6)
    }

    @Test func illegalPatterns() {
        #expect(throws: (any Error).self) { try DockerIgnore("!\n") }
        #expect(throws: (any Error).self) { try DockerIgnore("[abc\n") }
        #expect(throws: (any Error).self) { try DockerIgnore("secrets\\\n") }
    }

    @Test func goClean() {
        #expect(GoPath.clean("a//b/./c/..") == "a/b")
        #expect(GoPath.clean("/../x") == "/x")
        #expect(GoPath.clean("../x") == "../x")
        #expect(GoPath.clean("") == ".")
        #expect(GoPath.clean("secrets/") == "secrets")
        #expect(GoPath.dir("a/b/c") == "a/b")
        #expect(GoPath.dir("c") == ".")
    }
}
