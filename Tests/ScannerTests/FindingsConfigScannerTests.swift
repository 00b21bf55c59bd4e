import Detection
import Foundation
import LayerIndex
import Testing
@testable import Scanner

@Suite struct FindingsConfigScannerTests {
    static func image(env: [String], labels: [String: String] = [:], cmd: [String]? = nil, history: [(String, Bool)]) -> ImageInfo {
        var steps = history.enumerated().map { HistoryStep(index: $0.offset, createdBy: $0.element.0, emptyLayer: $0.element.1) }
        let layerCount = history.filter { !$0.1 }.count
        _ = HistoryAlignment.align(history: &steps, layerCount: layerCount)
        let layers = (0..<layerCount).map { i in
            LayerDescriptor(index: i, digest: Digest(hex: String(repeating: "a", count: 64)), diffID: Digest(hex: String(repeating: String(i), count: 64)),
                            size: 1, mediaType: "x", compression: .none)
        }
        return ImageInfo(reference: "t", format: "oci", manifestDigest: nil, configDigest: Digest(hex: String(repeating: "c", count: 64)),
                         config: ImageConfig(env: env, labels: labels, cmd: cmd, history: steps), layers: layers)
    }

    @Test func buildArgumentsEnvAndHistory() {
        let info = Self.image(
            env: ["PATH=/usr/bin", "GITHUB_TOKEN=\(FakeSecrets.github)", "APP_ENV=production"],
            history: [
                ("corpus: base", false),
                ("/bin/sh -c #(nop) ARG GITHUB_TOKEN", true),
                ("/bin/sh -c #(nop) ARG GITHUB_TOKEN SLACK_BOT_TOKEN", true),
                ("/bin/sh -c #(nop) ENV GITHUB_TOKEN=${GITHUB_TOKEN}", true),
                ("|2 GITHUB_TOKEN=\(FakeSecrets.github) SLACK_BOT_TOKEN=\(FakeSecrets.slack) /bin/sh -c echo hi > /build.log", false),
                ("/bin/sh -c #(nop) ENV APP_ENV=production", true),
            ])
        let findings = ConfigScanner.scan(info, matcher: FindingsTestMatcher())
        let summary = findings.map { "\($0.status.rawValue) \($0.location.field!) \($0.match.rule) \($0.location.layer.map(String.init) ?? "-")" }
        #expect(Set(summary) == [
            "config Env[GITHUB_TOKEN] github-pat -",
            "history history[4] github-pat 1",
            "history history[4] slack-bot-token 1",
        ])
        let env = findings.first { $0.status == .config }!
        #expect(env.introducedBy == "/bin/sh -c #(nop) ENV GITHUB_TOKEN=${GITHUB_TOKEN}")
        #expect(env.remediation.contains("env=GITHUB_TOKEN"))
        let slack = findings.first { $0.match.rule == "slack-bot-token" }!
        #expect(slack.location.historyIndex == 4)
        #expect(slack.location.layerDigest == info.layers[1].diffID)
        let createdBy = info.config.history[4].createdBy
        let column = slack.location.column!
        #expect(Array(createdBy.utf8)[(column - 1)...].starts(with: Array(FakeSecrets.slack.utf8)))
        #expect(slack.remediation.contains("instead of `ARG SLACK_BOT_TOKEN`"))
    }

    @Test func secretNamedStepsWithoutAKnownFormat() {
        let info = Self.image(
            env: ["DB_PASSWORD=Tr0ub4dor&3x", "API_TOKEN=", "EMPTY_SECRET=changeme", "HOME=/root"],
            labels: ["com.example.api_key": "k3yV4lu3Zz", "maintainer": "someone"],
            cmd: ["/app", "--password=\(FakeSecrets.github)"],
            history: [
                ("/bin/sh -c #(nop) ENV DB_PASSWORD=Tr0ub4dor&3x", true),
                ("/bin/sh -c #(nop) ARG DEPLOY_TOKEN=s3cr3tv4lu3", true),
                ("/bin/sh -c #(nop) ARG NPM_TOKEN", true),
                ("/bin/sh -c #(nop) ENV GH_TOKEN=$GH_TOKEN", true),
                ("/bin/sh -c echo \(FakeSecrets.npm) > /x && rm /x", false),
            ])
        let findings = ConfigScanner.scan(info, matcher: FindingsTestMatcher())
        let summary = Set(findings.map { "\($0.location.field!) \($0.match.rule)" })
        #expect(summary == [
            "Env[DB_PASSWORD] generic-secret",
            "Labels[com.example.api_key] generic-secret",
            "Cmd github-pat", // the password rule matched the same bytes: one finding, the more severe
            "history[0] generic-secret",
            "history[1] generic-secret",
            "history[4] npm-token",
        ])
        let generic = findings.first { $0.location.field == "history[1]" }!
        #expect(generic.match.confidence == .low)
        #expect(generic.location.layer == nil)
        #expect(findings.first { $0.location.field == "history[4]" }?.location.layer == 0)
    }
}
