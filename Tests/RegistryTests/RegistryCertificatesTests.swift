import Foundation
import LayerIndex
@testable import Registry
import Testing
import TestSupport

/// Per-registry TLS material in Docker's and Podman's `certs.d` layout.
@Suite struct RegistryCertificatesTests {
    func touch(_ dir: TemporaryDirectory, _ paths: String...) throws {
        for path in paths {
            let url = dir.url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
    }

    @Test func findsAuthoritiesAndAClientPairInTheFirstRootThatHasTheRegistry() throws {
        let user = TemporaryDirectory("strata-certs"), system = TemporaryDirectory("strata-certs")
        try touch(system, "registry.example.com:5000/ca.crt", "registry.example.com:5000/b.crt",
                  "registry.example.com:5000/client.cert", "registry.example.com:5000/client.key",
                  "registry.example.com:5000/orphan.cert", "other.example.com/ca.crt")
        try touch(user, "other.example.com/mine.crt")
        let found = try #require(RegistryCertificates.find(registry: "registry.example.com:5000", roots: [user.path, system.path]))
        #expect(found.authorities == ["b.crt", "ca.crt"].map { system.path + "/registry.example.com:5000/" + $0 })
        #expect(found.clientCertificate == ClientCertificate(certificate: system.path + "/registry.example.com:5000/client.cert",
                                                             key: system.path + "/registry.example.com:5000/client.key"))
        // The user's directory comes first, and only the first root with the registry counts.
        #expect(RegistryCertificates.find(registry: "other.example.com", roots: [user.path, system.path])?.authorities
                == [user.path + "/other.example.com/mine.crt"])
        #expect(RegistryCertificates.find(registry: "registry.example.com", roots: [user.path, system.path]) == nil, "the port is part of the name")
        for hostile in ["..", ".", "a/../../etc", ""] {
            #expect(RegistryCertificates.find(registry: hostile, roots: [system.path]) == nil)
        }
    }
}

/// A registry whose certificate only a `certs.d` CA vouches for, and one that demands a client
/// certificate: both reached with what `certs.d` holds, neither without it.
@Suite(.serialized, .enabled(if: LocalRegistry.available, "docker-registry and skopeo are installed by make test"))
struct RegistryCertsDirTests {
    func client(_ registry: LocalRegistry, roots: [String]) -> RegistryClient {
        var options = testClientOptions
        options.http.caBundle = nil
        options.certificateRoots = roots
        return RegistryClient(registry: registry.host, options: options)
    }

    @Test func certsDirAuthorityIsTrusted() throws {
        let registry = try LocalRegistry(tls: true)
        try registry.push(fixture: "g-secret-mount-clean", to: "g:1")
        let reference = try ImageReference.parse("\(registry.host)/g:1")
        let roots = TemporaryDirectory("strata-certs")
        #expect(throws: StrataError.self) { try client(registry, roots: [roots.path]).resolve(reference, platform: nil, image: "g:1") }
        let hostDir = roots.url.appendingPathComponent(registry.host)
        try FileManager.default.createDirectory(at: hostDir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: registry.certificatePath, toPath: hostDir.appendingPathComponent("ca.crt").path)
        let trusting = client(registry, roots: [roots.path])
        #expect(try trusting.baseURL().scheme == "https")
        #expect(try !trusting.resolve(reference, platform: nil, image: "g:1").layers.isEmpty)
    }

    @Test func clientCertificateIsPresented() throws {
        let registry = try LocalRegistry(tls: true, requireClientCertificate: true)
        let roots = TemporaryDirectory("strata-certs")
        let hostDir = roots.url.appendingPathComponent(registry.host)
        try FileManager.default.createDirectory(at: hostDir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: registry.certificatePath, toPath: hostDir.appendingPathComponent("ca.crt").path)
        // Without a client certificate the handshake is refused.
        #expect(throws: StrataError.self) { try client(registry, roots: [roots.path]).baseURL() }
        try FileManager.default.copyItem(atPath: registry.clientCertificatePath, toPath: hostDir.appendingPathComponent("client.cert").path)
        try FileManager.default.copyItem(atPath: registry.clientKeyPath, toPath: hostDir.appendingPathComponent("client.key").path)
        let presenting = client(registry, roots: [roots.path])
        #expect(try presenting.baseURL().scheme == "https")
    }
}
