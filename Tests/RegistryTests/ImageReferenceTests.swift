import Foundation
import LayerIndex
import Testing
@testable import Registry

@Suite struct ImageReferenceTests {
    @Test func dockerHubShortNamesAreNormalised() throws {
        let alpine = try ImageReference.parse("alpine")
        #expect(alpine.description == "docker.io/library/alpine:latest")
        #expect(alpine.endpoint == "registry-1.docker.io")
        #expect(try ImageReference.parse("user/app:1.2").description == "docker.io/user/app:1.2")
        #expect(try ImageReference.parse("docker.io/alpine:3").description == "docker.io/library/alpine:3")
        #expect(try ImageReference.parse("index.docker.io/library/alpine").registry == "docker.io")
    }

    @Test func hostsAreToldFromPathComponents() throws {
        let local = try ImageReference.parse("localhost:5000/x")
        #expect(local.registry == "localhost:5000" && local.repository == "x" && local.tag == "latest")
        #expect(try ImageReference.parse("localhost/x").registry == "localhost")
        #expect(try ImageReference.parse("ghcr.io/org/tool:v1").registry == "ghcr.io")
        #expect(try ImageReference.parse("team/sub/app").registry == "docker.io")
        let ip = try ImageReference.parse("docker://127.0.0.1:5000/repo/sub:tag")
        #expect(ip.registry == "127.0.0.1:5000" && ip.repository == "repo/sub" && ip.tag == "tag")
        #expect(ip.endpoint == "127.0.0.1:5000")
    }

    @Test func digestsPinTheManifest() throws {
        let hex = String(repeating: "ab", count: 32)
        let pinned = try ImageReference.parse("registry.example.com:443/app@sha256:\(hex)")
        #expect(pinned.digest?.hex == hex && pinned.tag == nil)
        #expect(pinned.manifestReference == "sha256:\(hex)")
        let both = try ImageReference.parse("host.io/app:1@sha256:\(hex)")
        #expect(both.tag == "1" && both.manifestReference == "sha256:\(hex)")
        #expect(throws: StrataError.self) { try ImageReference.parse("host.io/app@sha256:abc") }
    }

    @Test func localPathsAreNeverReferences() {
        for text in ["./img.tar", "/abs/dir", "../x", "~/img", "img.tar", "layers.tar.gz", "oci:dir", "docker-archive:x.tar", "."] {
            #expect(throws: StrataError.self, "\(text)") { try ImageReference.parse(text) }
        }
        // With the explicit transport, a name ending in .tar is still a repository name.
        #expect((try? ImageReference.parse("docker://host.io/img.tar")) != nil)
    }

    @Test func malformedReferencesAreRefused() {
        for text in ["UPPER/case", "host.io/a//b", "host.io/-a", "host.io/a:", "host.io/a:-bad", "docker://", "a b", "host.io:99999/x", "host..io/x"] {
            #expect(throws: StrataError.self, "\(text)") { try ImageReference.parse(text) }
        }
        #expect((try? ImageReference.parse("host.io/a__b/c-d.e--f")) != nil)
        #expect((try? ImageReference.parse("host.io/a___b")) == nil)
    }
}

@Suite struct AuthChallengeTests {
    @Test func parsesBearerAndBasic() {
        let challenges = AuthChallenge.parse([
            #"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull""#,
            #"Basic realm="x \"quoted\"""#,
        ])
        #expect(challenges.count == 2)
        #expect(challenges[0].scheme == "bearer")
        #expect(challenges[0].realm == "https://auth.example.com/token")
        #expect(challenges[0].service == "registry.example.com")
        #expect(challenges[0].scope == "repository:a/b:pull")
        #expect(challenges[1].scheme == "basic" && challenges[1].realm == #"x "quoted""#)
    }

    @Test func severalChallengesInOneValue() {
        let challenges = AuthChallenge.parse([#"Basic realm="r", Bearer realm="https://t/token", service=s"#])
        #expect(challenges.map(\.scheme) == ["basic", "bearer"])
        #expect(challenges[1].service == "s")
    }
}
