import Foundation
import Testing
import TestSupport

/// `strata layers` and `strata ls` print build steps and config values: the fixture images'
/// fake secrets never appear without `--show-secrets`, and do with it. Runs the real binary.
@Suite struct ListingSecretsTests {
    /// The values of the truth file's secrets that live in the config or history.
    static func historySecrets(_ image: String) throws -> [String] {
        let data = try Data(contentsOf: Fixtures.truth(image))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let secrets = try #require(root["secrets"] as? [[String: Any]])
        let values = secrets.filter { $0["in_config_or_history"] as? Bool == true }.compactMap { $0["value"] as? String }
        #expect(!values.isEmpty, "\(image): no config/history secrets in its truth file")
        return values
    }

    static let cases: [(image: String, runs: [[String]])] = [
        ("d-build-args-env", [["layers"], ["layers", "--format", "json"], ["ls", "--layer", "1"],
                              ["ls", "--layer", "1", "--format", "json"], ["ls", "--changes", "--format", "json"]]),
        ("a-deleted-later-layer", [["layers"], ["layers", "--format", "json"], ["ls", "--layer", "2", "--format", "json"],
                                   ["ls", "--changes"], ["ls", "--changes", "--format", "json"],
                                   ["ls", "--layer", "6", "--changes", "--format", "json"]]),
    ]

    @Test(arguments: ["d-build-args-env", "a-deleted-later-layer"])
    func secretsAreRedactedUnlessAskedFor(image: String) throws {
        let secrets = try Self.historySecrets(image)
        let runs = try #require(Self.cases.first { $0.image == image }).runs
        let archive = Fixtures.dockerArchive(image)
        var revealed = Set<String>()
        for args in runs {
            let hidden = try StrataBinary.run([args[0], archive] + args.dropFirst(), environment: ["COLUMNS": "400"])
            #expect(hidden.status == 0, "\(args): \(hidden.stderr)")
            for secret in secrets {
                #expect(!hidden.stdout.contains(secret) && !hidden.stderr.contains(secret), "\(args) printed \(secret.prefix(8))…")
            }
            let shown = try StrataBinary.run([args[0], archive] + args.dropFirst() + ["--show-secrets"], environment: ["COLUMNS": "400"])
            #expect(shown.status == 0, "\(args) --show-secrets: \(shown.stderr)")
            for secret in secrets where shown.stdout.contains(secret) { revealed.insert(secret) }
        }
        #expect(revealed == Set(secrets), "--show-secrets must print every config/history secret somewhere")
    }

    @Test func jsonKeepsItsShapeAndShowsPreviews() throws {
        let archive = Fixtures.dockerArchive("d-build-args-env")
        let github = try #require(try Self.historySecrets("d-build-args-env").first { $0.hasPrefix("ghp_") })
        let r = try StrataBinary.run(["layers", archive, "--format", "json"])
        let root = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let layers = try #require(root["layers"] as? [[String: Any]])
        let step = try #require(layers[1]["createdBy"] as? String)
        #expect(step.hasPrefix("|2 GITHUB_TOKEN=ghp_****…(40 chars) SLACK_BOT_TOKEN=xoxb-****…("))
        #expect(step.hasSuffix(" /bin/sh -c echo \"fetching private deps\" > /build.log"))
        let history = try #require(root["history"] as? [[String: Any]])
        #expect(history.allSatisfy { $0["createdBy"] is String })
        #expect(history[3]["createdBy"] as? String == "/bin/sh -c #(nop) ENV GITHUB_TOKEN=${GITHUB_TOKEN}")
        let config = try #require((root["image"] as? [String: Any])?["config"] as? [String: Any])
        let env = try #require(config["env"] as? [String])
        #expect(env.contains("GITHUB_TOKEN=ghp_****…(40 chars)") && env.contains("APP_ENV=production"))

        let shown = try StrataBinary.run(["layers", archive, "--format", "json", "--show-secrets"])
        let shownRoot = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let shownEnv = try #require(((shownRoot["image"] as? [String: Any])?["config"] as? [String: Any])?["env"] as? [String])
        #expect(shownEnv.contains("GITHUB_TOKEN=\(github)"))
    }

    @Test func lsNamesTheLayersBuildStepRedacted() throws {
        let r = try StrataBinary.run(["ls", Fixtures.dockerArchive("a-deleted-later-layer"), "--layer", "6", "--changes"],
                                     environment: ["COLUMNS": "100"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first == "layer 6: RUN rm /root/.npmrc")
        #expect(lines.contains { $0.hasPrefix("removed") && $0.contains("root/.npmrc") })
    }
}
