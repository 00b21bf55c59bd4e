import Detection
import Foundation
import Testing

/// Every private key container, encrypted ones marked, public material ignored.
@Suite struct PrivateKeyTests {
    let detector = try! Detector.standard()

    @Test(arguments: ["RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "PRIVATE KEY"])
    func plainPEMKeys(label: String) throws {
        let pem = Fake.pem(label)
        let matches = detector.find("# key\n" + pem, path: "app/certs/server.key")
        let m = try #require(matches.first)
        #expect(matches.count == 1)
        #expect(m.kind == "private_key")
        #expect(m.line == 2 && m.column == 1)
        #expect(m.secret == String(pem.dropLast()))
        #expect(m.notes["encrypted"] == nil)
        #expect(m.severity == .critical)
    }

    @Test func encryptedPEMKeysAreMarkedWithLowerSeverity() throws {
        let legacy = Fake.pem("RSA PRIVATE KEY", headers: "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,\(Fake.hex(32).uppercased())\n\n")
        let pkcs8 = Fake.pem("ENCRYPTED PRIVATE KEY")
        for pem in [legacy, pkcs8] {
            let m = try #require(detector.find(pem, path: "app/key.pem").first)
            #expect(m.kind == "private_key_encrypted")
            #expect(m.notes["encrypted"] == "true")
            #expect(m.severity == .medium)
        }
    }

    @Test func openSSHKeysEncryptedOrNot() throws {
        let plain = try #require(detector.find(Fake.openSSHKey(cipher: "none"), path: "root/.ssh/id_ed25519").first)
        #expect(plain.kind == "private_key")
        #expect(plain.notes["encrypted"] == nil)
        let locked = try #require(detector.find(Fake.openSSHKey(cipher: "aes256-ctr"), path: "root/.ssh/id_rsa").first)
        #expect(locked.kind == "private_key_encrypted")
        #expect(locked.notes["cipher"] == "aes256-ctr")
    }

    @Test func certificateBundleWithKeyFindsOnlyTheKey() {
        let text = Fake.pem("CERTIFICATE") + Fake.pem("CERTIFICATE") + Fake.pem("PRIVATE KEY")
        let matches = detector.find(text, path: "etc/haproxy/certs/site.pem")
        #expect(matches.count == 1)
        #expect(matches.first?.line == 29)
    }

    @Test func base64PEMInKubeconfig() throws {
        let b64 = Data(Fake.pem("RSA PRIVATE KEY").utf8).base64EncodedString()
        let text = "users:\n- name: admin\n  user:\n    client-certificate-data: \(Data(Fake.pem("CERTIFICATE").utf8).base64EncodedString())\n    client-key-data: \(b64)\n"
        let matches = detector.find(text, path: "root/.kube/config")
        #expect(matches.map(\.secret) == [b64])
        #expect(matches.first?.kind == "private_key")
    }

    @Test func documentationStandInsAreNotKeys() {
        let text = "key=\"-----BEGIN PRIVATE KEY-----\\nXXXX\\nXXXX\\n-----END PRIVATE KEY-----\"\n"
            + "\"private_key\": \"-----BEGIN EC PRIVATE KEY-----\\n<key bytes>\\n-----END EC PRIVATE KEY-----\\n\"\n"
        #expect(detector.find(text, path: "app/docs.js").isEmpty)
    }

    @Test func keysInDocumentationAreLowSeverity() throws {
        let m = try #require(detector.find(Fake.pem("RSA PRIVATE KEY"), path: "usr/share/doc/libfoo/examples/key.pem").first)
        #expect(m.severity == .low)
        #expect(m.notes["context"] == "documentation-or-test")
    }
}
