import Foundation
import ImageSource
import LayerIndex
import Testing
import TestSupport
@testable import Registry

/// What goes wrong between strata and a registry: redirects to blob stores, corrupt blobs,
/// a registry that stops mid-blob, throttling; and multi-platform indexes.
@Suite(.serialized, .enabled(if: LocalRegistry.available, "docker-registry and skopeo are installed by make test"))
struct RegistryRobustnessTests {
    static func isBlobGet(_ request: TestHTTPServer.Request) -> Bool {
        request.method == "GET" && request.path.contains("/blobs/sha256:")
    }

    @Test func blobRedirectToAnotherServerDropsCredentials() throws {
        let registry = try LocalRegistry(auth: .htpasswd(user: "carol", password: "pw-redirect"))
        try registry.push(fixture: "c-copy-context", to: "c:1", credentials: "carol:pw-redirect")
        // The "blob store": serves blob files straight from the registry's storage.
        let store = try TestHTTPServer { request in
            let hex = String(request.path.split(separator: "/").last ?? "")
            guard let data = try? Data(contentsOf: registry.blobFile(hex)) else {
                return .respond(status: 404, headers: [], body: Data())
            }
            return .respond(status: 200, headers: [("Content-Type", "application/octet-stream")], body: data)
        }
        defer { store.stop() }
        // The registry's front answers blob GETs with a redirect there, like S3-backed registries.
        let upstream = registry.port
        let storePort = store.port
        let front = try TestHTTPServer { request in
            if Self.isBlobGet(request), request.headers["authorization"] != nil {
                let hex = request.path.components(separatedBy: "sha256:").last ?? ""
                return .respond(status: 307, headers: [("Location", "http://127.0.0.1:\(storePort)/blobs/\(hex)?X-Signature=abc")], body: Data())
            }
            return .forward(port: upstream, cutAfter: nil)
        }
        defer { front.stop() }
        let client = RegistryClient(registry: front.url, credentials: StaticCredentials(.basic(username: "carol", password: "pw-redirect")),
                                    options: testClientOptions)
        let resolved = try client.resolve(try ImageReference.parse("\(front.url)/c:1"), platform: nil, image: "img")
        for layer in resolved.layers {
            let blob = BlobStream(client: client, repository: "c", digest: layer.digest, expectedSize: layer.size, image: "img")
            #expect(try drain(blob).digest == layer.digest)
        }
        // The config and every layer came from the store, and it never saw the credentials.
        #expect(store.requests.count == resolved.layers.count + 1)
        #expect(store.requests.allSatisfy { $0.headers["authorization"] == nil })
        #expect(store.requests.allSatisfy { $0.query == "X-Signature=abc" })
        // The registry itself did get them.
        #expect(front.requests.filter(Self.isBlobGet).allSatisfy { $0.headers["authorization"]?.hasPrefix("Basic ") == true })
    }

    @Test func blobWhoseContentDoesNotMatchItsDigest() throws {
        let registry = try LocalRegistry()
        try registry.push(fixture: "e-overwrite-opaque", to: "e:1")
        let client = RegistryClient(registry: registry.host, options: testClientOptions)
        let resolved = try client.resolve(try ImageReference.parse("\(registry.host)/e:1"), platform: nil, image: "e:1")
        let victim = resolved.layers[1]
        // Flip one byte in the stored blob: same size, different content.
        let file = registry.blobFile(victim.digest.hex)
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: file)
        let blob = BlobStream(client: client, repository: "e", digest: victim.digest, expectedSize: victim.size, image: "e:1")
        do {
            _ = try drain(blob)
            Issue.record("a corrupt blob was accepted")
        } catch let error as StrataError {
            #expect(error.layerDigest == victim.digest)
            #expect(error.description.contains("does not match its digest"))
            #expect(error.description.contains(victim.digest.short))
            #expect(!error.description.contains("\n"))
        }
        // The other layers still read.
        let other = BlobStream(client: client, repository: "e", digest: resolved.layers[2].digest,
                               expectedSize: resolved.layers[2].size, image: "e:1")
        #expect(try drain(other).digest == resolved.layers[2].digest)
    }

    @Test func connectionCutMidBlobIsResumedWithRange() throws {
        let registry = try LocalRegistry()
        try registry.push(fixture: "z-combined", to: "z:1")
        let upstream = registry.port
        let direct = RegistryClient(registry: registry.host, options: testClientOptions)
        let resolved = try direct.resolve(try ImageReference.parse("\(registry.host)/z:1"), platform: nil, image: "z:1")
        // The biggest layer: the cut lands well inside it.
        let layer = resolved.layers.max { $0.size < $1.size }!
        #expect(layer.size > 100_000)
        let cuts = Counter()
        let front = try TestHTTPServer { request in
            if request.path.hasSuffix(layer.digest.description) && request.headers["range"] == nil && cuts.next() == 0 {
                return .forward(port: upstream, cutAfter: 40_000)
            }
            return .forward(port: upstream, cutAfter: nil)
        }
        defer { front.stop() }
        let client = RegistryClient(registry: front.url, options: testClientOptions)
        let blob = BlobStream(client: client, repository: "z", digest: layer.digest, expectedSize: layer.size, image: "z:1")
        let (count, digest) = try drain(blob)
        #expect(Int64(count) == layer.size && digest == layer.digest)
        #expect(blob.resumes == 1)
        let ranged = front.requests.filter { Self.isBlobGet($0) && $0.headers["range"] != nil }
        #expect(ranged.count == 1)
        #expect(ranged.first?.headers["range"]?.hasPrefix("bytes=") == true)
        #expect(ranged.first?.headers["range"] != "bytes=0-")
    }

    @Test func cutWithoutRangeSupportRefetchesAndSkips() throws {
        let registry = try LocalRegistry()
        try registry.push(fixture: "z-combined", to: "z:1")
        let upstream = registry.port
        let direct = RegistryClient(registry: registry.host, options: testClientOptions)
        let resolved = try direct.resolve(try ImageReference.parse("\(registry.host)/z:1"), platform: nil, image: "z:1")
        let layer = resolved.layers.max { $0.size < $1.size }!
        let cuts = Counter()
        // This front cuts the first transfer and never passes `Range` on: the retry gets the whole blob.
        let front = try TestHTTPServer { request in
            if request.path.hasSuffix(layer.digest.description) && cuts.next() == 0 {
                return .forward(port: upstream, cutAfter: 50_000)
            }
            return .forwardWithout(port: upstream, headers: ["Range"])
        }
        defer { front.stop() }
        let client = RegistryClient(registry: front.url, options: testClientOptions)
        let blob = BlobStream(client: client, repository: "z", digest: layer.digest, expectedSize: layer.size, image: "z:1")
        let (count, digest) = try drain(blob)
        #expect(Int64(count) == layer.size && digest == layer.digest)
        #expect(blob.resumes == 1)
        #expect(front.requests.filter { $0.path.hasSuffix(layer.digest.description) }.count == 2)
    }

    @Test func registryStoppingMidBlobFailsCleanlyAndBounded() throws {
        let registry = try LocalRegistry()
        try registry.push(fixture: "z-combined", to: "z:1")
        let upstream = registry.port
        let front = try TestHTTPServer { request in
            .forward(port: upstream, cutAfter: Self.isBlobGet(request) ? 40_000 : nil)
        }
        defer { front.stop() }
        let client = RegistryClient(registry: front.url, options: testClientOptions)
        let resolved = try client.resolve(try ImageReference.parse("\(front.url)/z:1"), platform: nil, image: "z:1")
        let layer = resolved.layers.max { $0.size < $1.size }!
        let blob = BlobStream(client: client, repository: "z", digest: layer.digest, expectedSize: layer.size, image: "z:1")
        var buffer = [UInt8](repeating: 0, count: 4096)
        let first = try buffer.withUnsafeMutableBytes { try blob.read(into: $0) }
        #expect(first > 0)
        registry.stop()
        let started = Date()
        do {
            _ = try drain(blob)
            Issue.record("a blob from a stopped registry was accepted")
        } catch let error as StrataError {
            #expect(error.layerDigest == layer.digest)
            #expect(error.description.contains("blob"))
            #expect(!error.description.contains("\n"))
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func throttlingIsRetriedHonouringRetryAfterAndBounded() throws {
        let registry = try LocalRegistry()
        try registry.push(fixture: "g-secret-mount-clean", to: "g:1")
        let upstream = registry.port
        let throttled = Counter()
        let front = try TestHTTPServer { request in
            if request.path.contains("/manifests/") && throttled.next() == 0 {
                return .respond(status: 429, headers: [("Retry-After", "1")], body: Data())
            }
            if request.path.contains("/manifests/broken") {
                return .respond(status: 503, headers: [], body: Data(#"{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}"#.utf8))
            }
            return .forward(port: upstream, cutAfter: nil)
        }
        defer { front.stop() }
        let client = RegistryClient(registry: front.url, options: testClientOptions)
        let started = Date()
        let resolved = try client.resolve(try ImageReference.parse("\(front.url)/g:1"), platform: nil, image: "g:1")
        #expect(!resolved.layers.isEmpty)
        #expect(Date().timeIntervalSince(started) >= 0.9)
        // Always 503: bounded attempts, then the registry's own message.
        do {
            _ = try client.fetchManifest(repository: "g", reference: "broken", image: "g:broken")
            Issue.record("expected an error")
        } catch let error as StrataError {
            #expect(error.description.contains("503") && error.description.contains("try later"))
        }
        #expect(front.requests.filter { $0.path.hasSuffix("/manifests/broken") }.count == testClientOptions.retry.maxAttempts)
    }

    @Test func multiPlatformIndexChoosesByPlatform() throws {
        let registry = try LocalRegistry()
        let layout = TemporaryDirectory("strata-multi")
        let amd = try buildMultiPlatformLayout(at: layout.url, platforms: [
            ("a-deleted-later-layer", "linux", "amd64", nil), ("b-same-layer-delete", "linux", "arm64", "v8"),
            ("c-copy-context", "linux", "arm", "v6"), ("d-build-args-env", "linux", "arm", "v7"),
        ])
        try registry.push(source: "oci:\(layout.path):multi", to: "multi:latest", all: true)
        let client = RegistryClient(registry: registry.host, options: testClientOptions)
        let reference = try ImageReference.parse("\(registry.host)/multi")
        let arm64 = try client.resolve(reference, platform: .parse("linux/arm64"), image: "multi")
        #expect(arm64.layers.count == 4 && arm64.platform?.architecture == "arm64")
        #expect(arm64.indexDigest != nil)
        let armv7 = try client.resolve(reference, platform: .parse("linux/arm/v7"), image: "multi")
        #expect(armv7.platform?.variant == "v7")
        let host = try client.resolve(reference, platform: nil, image: "multi")
        #if arch(x86_64)
        #expect(host.manifestDigest == amd[0])
        #endif
        do {
            _ = try client.resolve(reference, platform: .parse("linux/arm"), image: "multi")
            Issue.record("expected an ambiguity error")
        } catch let error as StrataError {
            #expect(error.description.contains("linux/arm/v6") && error.description.contains("linux/arm/v7"))
        }
        do {
            _ = try client.resolve(reference, platform: .parse("linux/s390x"), image: "multi")
            Issue.record("expected an error")
        } catch let error as StrataError {
            #expect(error.description.contains("linux/amd64, linux/arm64/v8, linux/arm/v6, linux/arm/v7"))
        }
    }
}

/// A thread-safe counter handing out 0, 1, 2, …
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value - 1
    }
}

/// Builds an OCI layout whose `index.json` tags (`multi`) an image index listing one fixture
/// image per platform. Returns the manifest digests in order.
@discardableResult
func buildMultiPlatformLayout(at root: URL, platforms: [(String, String, String, String?)]) throws -> [Digest] {
    let fm = FileManager.default
    let blobs = root.appendingPathComponent("blobs/sha256")
    try fm.createDirectory(at: blobs, withIntermediateDirectories: true)
    var entries: [[String: Any]] = []
    var digests: [Digest] = []
    for (fixture, os, arch, variant) in platforms {
        let source = URL(fileURLWithPath: Fixtures.ociLayout(fixture))
        for name in try fm.contentsOfDirectory(atPath: source.appendingPathComponent("blobs/sha256").path) {
            let target = blobs.appendingPathComponent(name)
            if !fm.fileExists(atPath: target.path) {
                try fm.copyItem(at: source.appendingPathComponent("blobs/sha256/\(name)"), to: target)
            }
        }
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: source.appendingPathComponent("index.json"))) as! [String: Any]
        let manifest = (index["manifests"] as! [[String: Any]])[0]
        var platform: [String: Any] = ["os": os, "architecture": arch]
        if let variant { platform["variant"] = variant }
        entries.append(["mediaType": manifest["mediaType"]!, "digest": manifest["digest"]!, "size": manifest["size"]!, "platform": platform])
        digests.append(Digest(parsing: manifest["digest"] as! String)!)
    }
    let indexData = try JSONSerialization.data(withJSONObject: [
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries,
    ] as [String: Any])
    let indexHex = SHA256Hasher.hex(of: indexData)
    try indexData.write(to: blobs.appendingPathComponent(indexHex))
    let top: [String: Any] = ["schemaVersion": 2, "manifests": [[
        "mediaType": "application/vnd.oci.image.index.v1+json", "digest": "sha256:\(indexHex)", "size": indexData.count,
        "annotations": ["org.opencontainers.image.ref.name": "multi"],
    ] as [String: Any]]]
    try JSONSerialization.data(withJSONObject: top).write(to: root.appendingPathComponent("index.json"))
    try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: root.appendingPathComponent("oci-layout"))
    return digests
}
