import Detection
import Foundation
import Testing

/// Credential files parsed by name and structure.
@Suite struct StructuredFileTests {
    let detector = try! Detector.standard()

    @Test func awsCredentialsPairKeysPerProfile() throws {
        let id = Fake.awsKeyID()
        let secret = Fake.awsSecret()
        let text = "[default]\naws_access_key_id = \(id)\naws_secret_access_key = \(secret)\n\n[ci]\naws_access_key_id=\(Fake.awsKeyID())\n"
        let matches = detector.find(text, path: "root/.aws/credentials")
        #expect(matches.count == 3)
        let s = try #require(matches.first { $0.secret == secret })
        #expect(s.kind == "aws_secret_access_key")
        #expect(s.line == 3)
        #expect(s.notes["pairedWith"] == Redaction.preview(id))
        #expect(s.notes["profile"] == "default")
    }

    @Test func npmrcTokensAuthAndPassword() {
        let token = "\(Fake.b62(36))"
        let auth = Data("ci:\(Fake.password())".utf8).base64EncodedString()
        let password = Data(Fake.password().utf8).base64EncodedString()
        let text = "//npm.corp.example/:_authToken=\(token)\n_auth=\(auth)\n//nexus.corp.example/:_password=\(password)\n//x/:_authToken=${NPM_TOKEN}\n"
        let matches = detector.find(text, path: "home/node/.npmrc")
        #expect(Set(matches.compactMap(\.secret)) == [token, auth, password])
    }

    @Test func pypircPasswords() {
        let pw = Fake.password()
        let text = "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = __token__\npassword = \(pw)\n\n[test]\npassword = <your-token-here>\n"
        #expect(detector.find(text, path: "root/.pypirc").compactMap(\.secret) == [pw])
    }

    @Test func netrcOnOneLineOrMany() {
        let a = Fake.password()
        let b = Fake.password()
        let text = "machine api.corp.example login ci password \(a)\nmachine ftp.example.org\n  login anonymous\n  password anonymous@\nmachine git.corp.example\n  login bot\n  password \(b)\n"
        #expect(detector.find(text, path: "home/app/.netrc").compactMap(\.secret) == [a, b])
    }

    @Test func pgpassFields() {
        let pw = "ok%jK" + Fake.b62(10)
        let text = "# comment\ndb.internal:5432:*:app:\(pw)\n"
        let matches = detector.find(text, path: "root/.pgpass")
        #expect(matches.compactMap(\.secret) == [pw])
        #expect(matches.first?.line == 2)
    }

    @Test func dockerConfigAuthsDecoded() throws {
        let auth = Data("robot$ci:\(Fake.password())".utf8).base64EncodedString()
        let text = "{\n  \"auths\": {\n    \"registry.corp.example\": {\n      \"auth\": \"\(auth)\"\n    }\n  }\n}\n"
        let m = try #require(detector.find(text, path: "kaniko/.docker/config.json").first)
        #expect(m.secret == auth)
        #expect(m.kind == "docker_config_auth")
        #expect(m.notes["user"] == "robot$ci")
        #expect(m.line == 4)
    }

    @Test func kubeconfigTokens() {
        let jwt = Fake.jwt()
        let text = "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: \(jwt)\n- name: boot\n  user:\n    token: abcdef.\(Fake.string(Fake.lower + Fake.digits, 16))\n"
        #expect(detector.find(text, path: "root/.kube/config").count == 2)
    }

    @Test func pkcs12KeystoreIsReported() throws {
        var bytes: [UInt8] = [0x30, 0x82, 0x0A, 0x00]
        bytes += (0..<200).map { _ in UInt8.random(in: 0...255) }
        let m = try #require(bytes.withUnsafeBytes { detector.scan($0, path: "app/keystore.p12") }.first)
        #expect(m.rule == "pkcs12-keystore")
        #expect(m.secret?.hasPrefix("pkcs12:sha256:") == true)
    }
}
