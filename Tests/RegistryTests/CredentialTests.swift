import Foundation
import LayerIndex
import Testing
import TestSupport
@testable import Registry

@Suite struct DockerConfigCredentialTests {
    func config(_ json: String, in dir: TemporaryDirectory) throws -> DockerConfigCredentials {
        let file = dir.file("config.json")
        try json.write(to: file, atomically: true, encoding: .utf8)
        var provider = DockerConfigCredentials(configURL: file)
        provider.searchPath = dir.path
        return provider
    }

    @Test func authsEntriesInEveryShape() throws {
        let dir = TemporaryDirectory()
        let auth = Data("deploy:pa:ss".utf8).base64EncodedString()
        let provider = try config("""
        {"auths": {
          "https://index.docker.io/v1/": {"auth": "\(auth)"},
          "http://reg.example.com:5000/v2/": {"username": "u", "password": "p"},
          "ghcr.io": {"identitytoken": "refresh-123"}
        }}
        """, in: dir)
        #expect(try provider.credential(for: "docker.io") == .basic(username: "deploy", password: "pa:ss"))
        #expect(try provider.credential(for: "reg.example.com:5000") == .basic(username: "u", password: "p"))
        #expect(try provider.credential(for: "ghcr.io") == .identityToken("refresh-123"))
        #expect(try provider.credential(for: "quay.io") == nil)
    }

    @Test func credentialHelpersAreAskedWithTheServerURL() throws {
        let dir = TemporaryDirectory()
        let seen = dir.file("seen")
        let helper = dir.file("docker-credential-fake")
        try """
        #!/bin/sh
        [ "$1" = get ] || exit 3
        read url
        echo "$url" > \(seen.path)
        case "$url" in
          reg.example.com) echo '{"ServerURL":"reg.example.com","Username":"helper-user","Secret":"helper-secret"}' ;;
          https://index.docker.io/v1/) echo '{"ServerURL":"x","Username":"<token>","Secret":"id-token"}' ;;
          *) echo "credentials not found in native keychain"; exit 1 ;;
        esac
        """.write(to: helper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: helper.path)
        let provider = try config(#"{"credHelpers": {"reg.example.com": "fake"}, "credsStore": "fake"}"#, in: dir)
        #expect(try provider.credential(for: "reg.example.com") == .basic(username: "helper-user", password: "helper-secret"))
        #expect(try String(contentsOf: seen, encoding: .utf8) == "reg.example.com\n")
        #expect(try provider.credential(for: "docker.io") == .identityToken("id-token"))
        #expect(try provider.credential(for: "other.io") == nil)
        let missing = try config(#"{"credsStore": "absent"}"#, in: dir)
        #expect(throws: StrataError.self) { try missing.credential(for: "x.io") }
    }

    @Test func configLocationFollowsDockerConfig() {
        #expect(DockerConfigCredentials.defaultLocation(environment: ["DOCKER_CONFIG": "/etc/dc", "HOME": "/h"]).path == "/etc/dc/config.json")
        #expect(DockerConfigCredentials.defaultLocation(environment: ["HOME": "/h"]).path == "/h/.docker/config.json")
    }

    @Test func brokenConfigIsOneClearError() throws {
        let dir = TemporaryDirectory()
        let provider = try config("{not json", in: dir)
        #expect(throws: StrataError.self) { try provider.credential(for: "x.io") }
        let badAuth = try config(#"{"auths": {"x.io": {"auth": "!!!"}}}"#, in: dir)
        #expect(throws: StrataError.self) { try badAuth.credential(for: "x.io") }
    }
}
