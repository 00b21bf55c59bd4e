import Foundation
import Testing
import TestSupport
@testable import Lint

@Suite struct ContextScannerTests {
    func write(_ root: URL, _ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// A context like fixture c plus nested and content-only credentials.
    func makeContext() throws -> TemporaryDirectory {
        let dir = TemporaryDirectory("ctx")
        try write(dir.url, ".env", "STRIPE_SECRET_KEY=sk_live_\(Fake.random(24))\n")
        try write(dir.url, ".env.example", "STRIPE_SECRET_KEY=\n")
        try write(dir.url, ".aws/credentials", "[default]\naws_access_key_id = \(Fake.awsKeyID)\naws_secret_access_key = \(Fake.awsSecret)\n")
        try write(dir.url, ".ssh/id_rsa", FixtureScenarioTests.fakePEM("OPENSSH PRIVATE KEY"))
        try write(dir.url, "certs/server.pem", FixtureScenarioTests.fakePEM("PRIVATE KEY"))
        try write(dir.url, "certs/ca.pem", FixtureScenarioTests.fakePEM("CERTIFICATE"))
        try write(dir.url, "secrets/slack.json", "{\"token\": \"\(Fake.slack)\"}\n")
        try write(dir.url, "services/api/.env", "GITHUB_TOKEN=\(Fake.github)\n")
        try write(dir.url, "services/api/config/settings.py", "SLACK = \"\(Fake.slack)\"\n")
        try write(dir.url, "deploy/.npmrc", "//registry.npmjs.org/:_authToken=\(Fake.npm)\n")
        try write(dir.url, "src/main.py", "print('ok')\n")
        return dir
    }

    @Test func findsCredentialsByNameAndContent() throws {
        let dir = try makeContext()
        let report = try ContextScanner().scan(directory: dir.url)
        #expect(report.ignoreFile == nil)
        #expect(report.sent.map(\.path) == [".aws/credentials", ".env", ".ssh/id_rsa", "certs/server.pem", "deploy/.npmrc",
                                           "secrets/slack.json", "services/api/.env", "services/api/config/settings.py"])
        let settings = try #require(report.findings.first { $0.path == "services/api/config/settings.py" })
        #expect(settings.nameKind == nil && settings.matches.first?.kind.contains("slack") == true)
        #expect(settings.matches.allSatisfy { $0.secret == nil }, "raw values are dropped unless asked")
        #expect(settings.suggestedPattern == "services/api/config/settings.py")
        #expect(report.findings.first { $0.path == "services/api/.env" }?.suggestedPattern == "**/.env")
    }

    /// A script saved as UTF-16 (PowerShell's `Out-File`) is read as the text it holds.
    @Test func findsSecretsInUTF16Files() throws {
        let dir = TemporaryDirectory("strata-context-utf16")
        let token = Fake.github
        let text = "$env:GITHUB_TOKEN = \"\(token)\"\r\nInvoke-Build\r\n"
        let url = dir.url.appendingPathComponent("deploy/publish.ps1")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data([0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: url)
        let report = try ContextScanner().scan(directory: dir.url)
        let script = try #require(report.findings.first { $0.path == "deploy/publish.ps1" })
        #expect(script.matches.map(\.rule).contains { $0.hasPrefix("github") })
    }

    @Test func laterExceptionReincludesACredentialFile() throws {
        let dir = try makeContext()
        try write(dir.url, ".dockerignore", "# mine\n.env\n**/.env\n!services/api/.env\n.aws\n")
        let report = try ContextScanner().scan(directory: dir.url)
        let api = try #require(report.findings.first { $0.path == "services/api/.env" })
        #expect(!api.excluded)
        #expect(api.decidedBy == "!services/api/.env" && api.decidedByLine == 4)
        #expect(report.findings.first { $0.path == ".env" }?.excluded == true)
        #expect(report.findings.first { $0.path == ".aws/credentials" }?.excluded == true)
    }

    @Test func fixAppendsMissingPatternsOnceAndExcludesEverything() throws {
        let dir = try makeContext()
        try write(dir.url, ".dockerignore", "node_modules\n!services/api/.env")   // no trailing newline
        let scanner = ContextScanner()
        let added = try scanner.fix(directory: dir.url)
        #expect(added.starts(with: [".env", ".env.*", ".aws/", ".ssh/", "*.pem"]))
        #expect(added.contains("**/.env"))
        #expect(added.contains("services/api/config/settings.py"))
        #expect(added.contains("**/.npmrc"))
        let text = try String(contentsOf: dir.file(".dockerignore"), encoding: .utf8)
        #expect(text.hasPrefix("node_modules\n!services/api/.env\n# credentials kept out"))
        let after = try scanner.scan(directory: dir.url)
        #expect(after.sent.isEmpty, "\(after.sent.map(\.path))")
        // The example file and the source stay in the context.
        let ignore = try DockerIgnore(text)
        #expect(!ignore.excludes("src/main.py"))
        #expect(try scanner.fix(directory: dir.url).isEmpty, "idempotent")
        #expect(try String(contentsOf: dir.file(".dockerignore"), encoding: .utf8) == text)
    }

    @Test func dockerfileSpecificIgnoreFileTakesPrecedence() throws {
        let dir = try makeContext()
        try write(dir.url, ".dockerignore", "**\n")
        try write(dir.url, "build/app.Dockerfile", "FROM a\nCOPY . /\n")
        try write(dir.url, "build/app.Dockerfile.dockerignore", ".env\n")
        let report = try ContextScanner().scan(directory: dir.url, dockerfile: dir.file("build/app.Dockerfile"))
        #expect(report.ignoreFile?.hasSuffix("app.Dockerfile.dockerignore") == true)
        #expect(report.findings.first { $0.path == ".env" }?.excluded == true)
        #expect(report.findings.first { $0.path == ".aws/credentials" }?.excluded == false)
    }

    @Test func notADirectoryIsAClearError() {
        #expect(throws: (any Error).self) { try ContextScanner().scan(directory: URL(fileURLWithPath: "/nonexistent/ctx")) }
    }
}
