import Detection
import Foundation
import LayerIndex
import Testing
import TestSupport
@testable import Scanner

@Suite struct TextRedactorTests {
    /// Fake secrets of the right shape, from the fixture images' truth files.
    static func truthSecret(_ image: String, _ id: String) throws -> String {
        let data = try Data(contentsOf: Fixtures.truth(image))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let secrets = try #require(root["secrets"] as? [[String: Any]])
        return try #require(secrets.first { $0["id"] as? String == id }?["value"] as? String)
    }

    @Test func masksEveryConfigAndHistoryFieldWithTheScannersJudgement() throws {
        let github = try Self.truthSecret("d-build-args-env", "d.ghp")
        let slack = try Self.truthSecret("d-build-args-env", "d.slack")
        let npm = try Self.truthSecret("a-deleted-later-layer", "a.npm")
        let apiKey = "q8Vz2LmR7xKw4Tn9"          // no known format: masked for its name alone
        let argValue = "d3pl0yV4lu3x9"           // an ARG default with a secret-looking name
        let labelValue = "k3yV4lu3Zz77"
        var info = FindingsConfigScannerTests.image(
            env: ["PATH=/usr/bin", "GITHUB_TOKEN=\(github)", "API_KEY=\(apiKey)", "GH_TOKEN=$GH_TOKEN",
                  "DB_PASSWORD=changeme", "APP_ENV=production"],
            labels: ["com.example.api_key": labelValue, "maintainer": "someone"],
            cmd: ["/app", "--token", github],
            history: [
                ("/bin/sh -c #(nop) ARG DEPLOY_TOKEN=\(argValue)", true),
                ("/bin/sh -c #(nop) ENV API_KEY=\(apiKey)", true),
                ("/bin/sh -c #(nop) ENV GH_TOKEN=$GH_TOKEN", true),
                ("|2 GITHUB_TOKEN=\(github) SLACK_BOT_TOKEN=\(slack) /bin/sh -c echo hi > /build.log", false),
                ("RUN |1 NPM_TOKEN=\(npm) /bin/sh -c npm ci", false),
                ("/bin/sh -c curl -H 'Authorization: token \(github)' https://api.github.com/x", false),
            ])
        info.config.entrypoint = ["/entry", "--key=\(npm)"]
        info.config.history[0].comment = "built with \(slack)"
        info.layers = info.layers.enumerated().map { i, layer in
            var l = layer
            l.createdBy = info.config.history.first { $0.layerIndex == i }?.createdBy
            return l
        }

        let redactor = TextRedactor(image: info, matcher: try Detector.standard())
        let shown = redactor.redact(info)
        let dump = String(decoding: try JSONEncoder().encode(shown), as: UTF8.self)
        for raw in [github, slack, npm, apiKey, argValue, labelValue] {
            #expect(!dump.contains(raw), "\(raw) survived")
        }
        #expect(shown.config.env == ["PATH=/usr/bin", "GITHUB_TOKEN=\(Redaction.preview(github))",
                                     "API_KEY=\(Redaction.preview(apiKey))", "GH_TOKEN=$GH_TOKEN",
                                     "DB_PASSWORD=changeme", "APP_ENV=production"])
        #expect(shown.config.labels == ["com.example.api_key": Redaction.preview(labelValue), "maintainer": "someone"])
        #expect(shown.config.cmd == ["/app", "--token", Redaction.preview(github)])
        #expect(shown.config.entrypoint == ["/entry", "--key=\(Redaction.preview(npm))"])
        #expect(shown.config.history[3].createdBy ==
                "|2 GITHUB_TOKEN=\(Redaction.preview(github)) SLACK_BOT_TOKEN=\(Redaction.preview(slack)) /bin/sh -c echo hi > /build.log")
        #expect(shown.config.history[2].createdBy == "/bin/sh -c #(nop) ENV GH_TOKEN=$GH_TOKEN")
        #expect(shown.config.history[0].comment == "built with \(Redaction.preview(slack))")
        #expect(shown.layers[0].createdBy == shown.config.history[3].createdBy)
        #expect(shown.layers.map(\.diffID) == info.layers.map(\.diffID))
        #expect(shown.configDigest == info.configDigest)
    }

    @Test func onePassLongestFirstAndPreviewsAreNeverMaskedAgain() {
        let long = "ghp_" + "abcdEFGH1234ijklMNOP5678qrstUVWX9012"
        // "chars" occurs in every preview; "EFGH1234" inside the long value.
        let redactor = TextRedactor(secrets: ["chars", "EFGH1234", long, "abc"])
        #expect(redactor.count == 3)
        #expect(redactor.redact("a=\(long) b=EFGH1234 c=chars abc") ==
                "a=\(Redaction.preview(long)) b=\(Redaction.preview("EFGH1234")) c=\(Redaction.preview("chars")) abc")
        #expect(redactor.redact("nothing here") == "nothing here")
        #expect(redactor.redact(nil as String?) == nil)
    }

    @Test func showingSecretsMasksNothing() throws {
        let info = FindingsConfigScannerTests.image(env: ["API_KEY=q8Vz2LmR7xKw4Tn9"], history: [("base", false)])
        let none = TextRedactor(secrets: [])
        #expect(none.isEmpty && none.redact(info) == info)
        #expect(TextRedactor(image: info, matcher: try Detector.standard()).redact(info) != info)
    }
}
