import Detection
import Foundation
import Testing
import TestSupport
@testable import Lint

/// The real Dockerfiles behind the image fixtures (scenarios a–h, z): every leaking step is
/// flagged at its line, and nothing at medium or above in the clean and hard-negative builds.
@Suite struct FixtureScenarioTests {
    /// Lines of leaking steps at medium or above, without a build context.
    static let expected: [String: Set<Int>] = [
        "a-deleted-later-layer": [2, 5, 7, 8],      // ARG NPM_TOKEN; .npmrc written, rm at 9; deploy key and CI token copied, rm -rf at 10
        "b-same-layer-delete": [2],                  // token inlined in RUN (history); line 3 assembles it from pieces: nowhere
        "c-copy-context": [],                        // needs the context (see below)
        "d-build-args-env": [2, 3, 4],               // two secret build args, ENV from one of them
        "e-overwrite-opaque": [4],                   // creds/ copied, removed at 7 (config.yml needs the context)
        "f-pkg-manager-creds": [2, 4, 5, 6],         // pip.conf, docker config, git-credentials, netrc copied in
        "g-secret-mount-clean": [],
        "h-hard-negatives": [],
        "z-combined": [4, 5, 8, 9, 12],
    ]

    /// With the build context recreated in a temp dir.
    static let expectedWithContext: [String: Set<Int>] = [
        "c-copy-context": [3],
        "e-overwrite-opaque": [2, 4],
        "g-secret-mount-clean": [],
        "h-hard-negatives": [],
        "z-combined": [4, 5, 7, 8, 9, 12],
    ]

    func flaggedLines(_ name: String, context: ContextReport? = nil) throws -> Set<Int> {
        let findings = try Linter(context: context).lint(contentsOf: Fixtures.dockerfile(name))
        return Set(findings.filter { $0.severity >= .medium }.map(\.line))
    }

    @Test(arguments: Fixtures.imageNames)
    func scenarioWithoutContext(_ name: String) throws {
        #expect(try flaggedLines(name) == Self.expected[name])
    }

    @Test(arguments: ["c-copy-context", "e-overwrite-opaque", "g-secret-mount-clean", "h-hard-negatives", "z-combined"])
    func scenarioWithContext(_ name: String) throws {
        let dir = TemporaryDirectory("lint-ctx")
        try Self.makeContext(name, in: dir.url)
        let report = try ContextScanner().scan(directory: dir.url)
        #expect(try flaggedLines(name, context: report) == Self.expectedWithContext[name])
    }

    /// The generator's own contexts (`build-dev-images.sh` leaves them in WORK/contexts): set
    /// STRATA_FIXTURE_CONTEXTS to that folder to check against them too.
    static let realContexts = ProcessInfo.processInfo.environment["STRATA_FIXTURE_CONTEXTS"]

    @Test(.enabled(if: FixtureScenarioTests.realContexts != nil, "STRATA_FIXTURE_CONTEXTS not set"),
          arguments: Fixtures.imageNames)
    func scenarioWithGeneratorContext(_ name: String) throws {
        let dir = URL(fileURLWithPath: Self.realContexts!).appendingPathComponent(name)
        let report = FileManager.default.fileExists(atPath: dir.path) ? try ContextScanner().scan(directory: dir) : nil
        let expected = Self.expectedWithContext[name] ?? Self.expected[name]!
        let lines = try flaggedLines(name, context: report)
        #expect(lines == expected, "\(name)")
    }

    @Test func copyContextFindingListsTheFilesAndPatterns() throws {
        let dir = TemporaryDirectory("lint-ctx")
        try Self.makeContext("c-copy-context", in: dir.url)
        let report = try ContextScanner().scan(directory: dir.url)
        let findings = try Linter(context: report).lint(contentsOf: Fixtures.dockerfile("c-copy-context"))
        let copy = try #require(findings.first { $0.ruleID == "DF008" })
        #expect(copy.paths == [".aws/credentials", ".env", ".ssh/id_rsa", "certs/server.pem", "secrets/slack.json"])
        #expect(copy.suggestion?.contains("**/*.pem") == true)
        #expect(copy.suggestion?.contains(".env") == true)
    }

    @Test func leakingRunStepsGetSecretMountRewrites() throws {
        let a = try Linter().lint(contentsOf: Fixtures.dockerfile("a-deleted-later-layer"))
        let npmrc = try #require(a.first { $0.line == 5 && $0.ruleID == "DF005" })
        #expect(npmrc.relatedLines == [9])
        #expect(npmrc.suggestion?.hasPrefix("RUN --mount=type=secret,id=npmrc,target=/root/.npmrc") == true)
        let z = try Linter().lint(contentsOf: Fixtures.dockerfile("z-combined"))
        #expect(z.contains { $0.line == 9 && $0.ruleID == "DF004" && $0.secret == "npm_****…(40 chars)" })
    }

    // MARK: - Contexts shaped like the generator's (fake values).

    static func write(_ root: URL, _ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    static func fakePEM(_ label: String) -> String {
        "-----BEGIN \(label)-----\n" + (0..<4).map { _ in Fake.random(64) }.joined(separator: "\n") + "\n-----END \(label)-----\n"
    }

    static func makeContext(_ name: String, in root: URL) throws {
        switch name {
        case "c-copy-context":
            try write(root, ".env", "DATABASE_URL=postgres://app_user:\(Fake.random(16))@db:5432/app\nSTRIPE_SECRET_KEY=sk_live_\(Fake.random(24))\n")
            try write(root, ".aws/credentials", "[default]\naws_access_key_id = \(Fake.awsKeyID)\naws_secret_access_key = \(Fake.awsSecret)\n")
            try write(root, ".ssh/id_rsa", fakePEM("OPENSSH PRIVATE KEY"))
            try write(root, ".ssh/id_rsa.pub", "ssh-rsa AAAAB3NzaC1yc2E\(Fake.random(60)) dev@host\n")
            try write(root, "certs/server.pem", fakePEM("PRIVATE KEY"))
            try write(root, "secrets/slack.json", "{\n  \"bot_token\": \"\(Fake.slack)\"\n}\n")
            try write(root, "app.py", "print('hello')\n")
            try write(root, "requirements.txt", "flask==3.0.0\n")
        case "e-overwrite-opaque":
            try write(root, "config.yml", "database:\n  user: app\n  password: #\(Fake.random(15))\n")
            try write(root, "creds/aws.json", "{\"AccessKeyId\": \"\(Fake.awsKeyID)\", \"SecretAccessKey\": \"\(Fake.awsSecret)\"}\n")
            try write(root, "creds/slack.token", Fake.slack + "\n")
        case "g-secret-mount-clean":
            try write(root, "README.md", "built with secret mounts\n")
        case "h-hard-negatives":
            try write(root, "docs/aws-example.md", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
            try write(root, "config/app.ini", "[db]\npassword=changeme\n[api]\ntoken = <YOUR_API_TOKEN>\nsecret = ${PASSWORD}\ngithub_token = ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n")
            try write(root, "keys/public.pem", fakePEM("PUBLIC KEY"))
            try write(root, "keys/test_rsa.pub", "ssh-rsa AAAAB3NzaC1yc2E\(Fake.random(60)) test\n")
            try write(root, "static/app.min.js", "var a=1;//# sourceMappingURL=data:application/json;base64,\(Fake.random(80))\n")
            try write(root, "data/uuids.txt", "3f2504e0-4f89-11d3-9a0c-0305e82c3301\n")
        case "z-combined":
            try write(root, "app/.env", "DB_PASSWORD=\(Fake.random(20))\nAWS_ACCESS_KEY_ID=\(Fake.awsKeyID)\n")
            try write(root, "app/README.md", "app\n")
            try write(root, "creds/deploy.pem", fakePEM("RSA PRIVATE KEY"))
            try write(root, "creds/slack.txt", Fake.slack + "\n")
            try write(root, "gitcreds", "https://ci:\(Fake.github)@github.com\n")
        default:
            break
        }
    }
}
