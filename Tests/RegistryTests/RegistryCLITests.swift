import Foundation
import LayerIndex
import Testing
import TestSupport

/// The real `strata` binary on registry references: same answers as on the docker-archive.
@Suite(.serialized, .enabled(if: LocalRegistry.available, "docker-registry and skopeo are installed by make test"))
struct RegistryCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
    }

    /// A layer row without what differs by transport (blob digest, compressed size, media type).
    static func comparable(_ layer: Any) -> NSDictionary {
        var row = layer as! [String: Any]
        for key in ["digest", "size", "mediaType", "compression"] { row[key] = nil }
        return row as NSDictionary
    }

    @Test func layersAndLsMatchTheDockerArchive() throws {
        let registry = try LocalRegistry()
        try registry.push(fixture: "a-deleted-later-layer", to: "team/a:dev")
        let archive = Fixtures.dockerArchive("a-deleted-later-layer")
        for reference in ["docker://\(registry.host)/team/a:dev", "\(registry.host)/team/a:dev"] {
            let remote = try StrataBinary.run(["layers", "--format", "json", reference])
            #expect(remote.status == 0, "\(remote.stderr)")
            let local = try StrataBinary.run(["layers", "--format", "json", archive])
            let r = try Self.json(remote.stdout), l = try Self.json(local.stdout)
            #expect((r["layers"] as! [Any]).map(Self.comparable) == (l["layers"] as! [Any]).map(Self.comparable))
            #expect((r["history"] as! NSArray) == (l["history"] as! NSArray))
        }
        let remoteHistory = try StrataBinary.run(["ls", "--history-only", "--format", "json", "\(registry.host)/team/a:dev"])
        let localHistory = try StrataBinary.run(["ls", "--history-only", "--format", "json", archive])
        #expect(remoteHistory.status == 0)
        #expect(try Self.json(remoteHistory.stdout) as NSDictionary == Self.json(localHistory.stdout) as NSDictionary)
    }

    @Test func credentialsFromStdinAndDockerConfig() throws {
        let registry = try LocalRegistry(auth: .htpasswd(user: "dana", password: "cli-pass-42"))
        try registry.push(fixture: "g-secret-mount-clean", to: "g:1", credentials: "dana:cli-pass-42")
        let reference = "\(registry.host)/g:1"
        let emptyConfig = TemporaryDirectory()
        let denied = try StrataBinary.run(["layers", reference], environment: ["DOCKER_CONFIG": emptyConfig.path])
        #expect(denied.status == 2)
        #expect(denied.stderr.contains("authentication required"))
        #expect(denied.stderr.split(separator: "\n").count == 1)

        let viaStdin = try StrataBinary.run(["layers", "--username", "dana", "--password-stdin", reference], stdin: "cli-pass-42\n",
                                            environment: ["DOCKER_CONFIG": emptyConfig.path])
        #expect(viaStdin.status == 0, "\(viaStdin.stderr)")
        #expect(viaStdin.stdout.contains("registry"))

        let config = TemporaryDirectory()
        let auth = Data("dana:cli-pass-42".utf8).base64EncodedString()
        try #"{"auths": {"\#(registry.host)": {"auth": "\#(auth)"}}}"#.write(to: config.file("config.json"), atomically: true, encoding: .utf8)
        let viaConfig = try StrataBinary.run(["ls", reference], environment: ["DOCKER_CONFIG": config.path])
        #expect(viaConfig.status == 0, "\(viaConfig.stderr)")

        let half = try StrataBinary.run(["layers", "--username", "dana", reference])
        #expect(half.status == 2 && half.stderr.contains("--password-stdin"))
    }

    @Test func platformChoiceFromAnIndex() throws {
        let registry = try LocalRegistry()
        let layout = TemporaryDirectory("strata-multi")
        try buildMultiPlatformLayout(at: layout.url, platforms: [
            ("a-deleted-later-layer", "linux", "amd64", nil), ("b-same-layer-delete", "linux", "arm64", nil),
            ("c-copy-context", "linux", "arm", "v6"), ("d-build-args-env", "linux", "arm", "v7"),
        ])
        try registry.push(source: "oci:\(layout.path):multi", to: "multi:1", all: true)
        let reference = "\(registry.host)/multi:1"
        let arm64 = try StrataBinary.run(["layers", "--format", "json", "--platform", "linux/arm64", reference])
        #expect(arm64.status == 0, "\(arm64.stderr)")
        #expect(((try Self.json(arm64.stdout))["layers"] as! [Any]).count == 4)
        let ambiguous = try StrataBinary.run(["layers", "--platform", "linux/arm", reference])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr.contains("linux/arm/v6") && ambiguous.stderr.contains("linux/arm/v7"))
        #expect(ambiguous.stderr.split(separator: "\n").count == 1)
        let bad = try StrataBinary.run(["layers", "--platform", "linux/", reference])
        #expect(bad.status == 2 && bad.stderr.contains("os/arch"))
    }

    @Test func missingImagesAndPathsAreOneLine() throws {
        let registry = try LocalRegistry()
        try registry.push(fixture: "g-secret-mount-clean", to: "g:1")
        let missing = try StrataBinary.run(["layers", "\(registry.host)/g:nope"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("\(registry.host)/g:nope") && missing.stderr.contains("MANIFEST_UNKNOWN"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        // A local-looking name is never sent to a registry.
        let local = try StrataBinary.run(["layers", "./nothing-here.tar"])
        #expect(local.status == 2 && local.stderr.contains("no such file"))
    }
}
