import Foundation
import LayerIndex
import Testing
import TestSupport

/// `strata scan` and `strata registry scan` on registry images, through the real binary.
@Suite(.serialized, .enabled(if: LocalRegistry.available, "docker-registry and skopeo are installed by make test"))
struct RegistryScanCLITests {
    static func json(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(text.prefix(200))")
        }
        return object
    }

    /// Findings without the blob digest, which differs by transport (compressed in a registry,
    /// uncompressed in a docker-archive); everything else must be equal.
    static func comparableFindings(_ report: [String: Any]) -> [NSDictionary] {
        (report["findings"] as? [[String: Any]] ?? []).map { finding in
            var copy = finding
            if var location = copy["location"] as? [String: Any] {
                location["layerDigest"] = nil
                copy["location"] = location
            }
            return copy as NSDictionary
        }
    }

    @Test func sameFindingsAsTheDockerArchive() throws {
        let registry = try LocalRegistry()
        let cache = TemporaryDirectory()
        for fixture in ["a-deleted-later-layer", "z-combined"] {
            try registry.push(fixture: fixture, to: "fx/\(fixture):dev")
            let remote = try StrataBinary.run(["scan", "--format", "json", "--no-cache", "docker://\(registry.host)/fx/\(fixture):dev"],
                                              environment: ["STRATA_CACHE_DIR": cache.path])
            let local = try StrataBinary.run(["scan", "--format", "json", "--no-cache", Fixtures.dockerArchive(fixture)],
                                             environment: ["STRATA_CACHE_DIR": cache.path])
            #expect(remote.status == 1 && local.status == 1, "\(remote.stderr) \(local.stderr)")
            let r = Self.comparableFindings(try Self.json(remote.stdout))
            let l = Self.comparableFindings(try Self.json(local.stdout))
            #expect(!l.isEmpty)
            #expect(r == l, "\(fixture)")
            // No raw secret in the output unless asked.
            #expect(!remote.stdout.contains("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"))
        }
    }

    @Test func registryScanGatesAndFetchesSharedLayersOnce() throws {
        let registry = try LocalRegistry()
        // Through a counting front, to see every blob request on the wire.
        let upstream = registry.port
        let front = try TestHTTPServer { _ in .forward(port: upstream, cutAfter: nil) }
        defer { front.stop() }
        try registry.push(fixture: "a-deleted-later-layer", to: "apps/leaky:1")
        try registry.push(fixture: "g-secret-mount-clean", to: "apps/clean:1")
        try registry.push(source: "docker://\(registry.host)/apps/clean:1", to: "apps/clean:latest")
        try registry.push(fixture: "h-hard-negatives", to: "base/negatives:1")
        let cache = TemporaryDirectory()
        let env = ["STRATA_CACHE_DIR": cache.path]

        // Only the clean repository: passes the gate; its two tags are one manifest, scanned once.
        let clean = try StrataBinary.run(["registry", "scan", front.url, "--repo", "apps/clean", "--format", "json"], environment: env)
        #expect(clean.status == 0, "\(clean.stderr)")
        let cleanDoc = try Self.json(clean.stdout)
        let cleanImages = cleanDoc["images"] as! [[String: Any]]
        #expect(cleanImages.count == 2)
        #expect(cleanImages.filter { $0["sameAs"] != nil }.count == 1)
        #expect(cleanImages.allSatisfy { $0["result"] as? String == "pass" })
        let cleanLayers = cleanImages[0]["layers"] as! Int
        func blobGets(since start: Int) -> [String] {
            front.requests.dropFirst(start).filter { $0.method == "GET" && $0.path.contains("/blobs/") }.map(\.path)
        }
        // Every layer blob once, plus the config (fetched for both tags' shared manifest only once).
        #expect(blobGets(since: 0).count == cleanLayers + 1)

        // Everything: the leaky image fails the gate at medium; layers shared with the clean
        // image (the base) are not fetched again.
        let mark = front.requests.count
        let all = try StrataBinary.run(["registry", "scan", "docker://\(front.url)/", "--format", "json", "--page-size", "1"], environment: env)
        #expect(all.status == 1, "\(all.stderr)")
        let doc = try Self.json(all.stdout)
        let images = doc["images"] as! [[String: Any]]
        #expect(Set(images.map { $0["reference"] as! String }) == Set(["apps/leaky:1", "apps/clean:1", "apps/clean:latest", "base/negatives:1"].map { "\(front.url)/\($0)" }))
        let leaky = images.first { ($0["reference"] as! String).hasSuffix("apps/leaky:1") }!
        #expect(leaky["result"] as? String == "fail")
        #expect((leaky["historyOnly"] as! Int) > 0)
        #expect(((leaky["report"] as! [String: Any])["findings"] as! [Any]).count > 0)
        let fetched = blobGets(since: mark)
        let leakyLayers = leaky["layers"] as! Int
        let negatives = images.first { ($0["reference"] as! String).hasSuffix("base/negatives:1") }!
        let negativeLayers = negatives["layers"] as! Int
        // New layers only (all but the shared base), plus each image's config (clean's again too).
        #expect(leaky["layersDownloaded"] as? Int == leakyLayers - 1)
        #expect(negatives["layersDownloaded"] as? Int == negativeLayers - 1)
        #expect(fetched.count == (leakyLayers - 1) + (negativeLayers - 1) + 3)
        #expect((doc["summary"] as! [String: Any])["failing"] as? Int == 1)
        #expect(front.requests.dropFirst(mark).filter { $0.path.hasPrefix("/v2/_catalog") }.count >= 3)

        // The table, and the gate moved above what the leaky image holds.
        let table = try StrataBinary.run(["registry", "scan", front.url, "--fail-on", "none"], environment: env)
        #expect(table.status == 0)
        #expect(table.stdout.contains("HISTORY-ONLY") && table.stdout.contains("apps/leaky:1") && table.stdout.contains("FAIL") == false)
    }

    @Test func allPlatformsOfAnIndex() throws {
        let registry = try LocalRegistry()
        let layout = TemporaryDirectory("strata-multi")
        try buildMultiPlatformLayout(at: layout.url, platforms: [
            ("g-secret-mount-clean", "linux", "amd64", nil), ("a-deleted-later-layer", "linux", "arm64", nil),
        ])
        try registry.push(source: "oci:\(layout.path):multi", to: "multi:1", all: true)
        let cache = TemporaryDirectory()
        let env = ["STRATA_CACHE_DIR": cache.path]
        // The host's platform only (amd64 here: the clean image).
        let host = try StrataBinary.run(["registry", "scan", registry.host, "--platform", "linux/amd64", "--format", "json"], environment: env)
        #expect(host.status == 0, "\(host.stderr)")
        #expect((try Self.json(host.stdout)["images"] as! [Any]).count == 1)
        // Every platform: the arm64 image leaks, so the gate fails.
        let all = try StrataBinary.run(["registry", "scan", registry.host, "--all-platforms", "--format", "json"], environment: env)
        #expect(all.status == 1, "\(all.stderr)")
        let images = try Self.json(all.stdout)["images"] as! [[String: Any]]
        #expect(images.map { $0["indexPlatform"] as? String } == ["linux/amd64", "linux/arm64"])
        #expect(images.map { $0["result"] as? String } == ["pass", "fail"])
        let table = try StrataBinary.run(["registry", "scan", registry.host, "--all-platforms"], environment: env)
        #expect(table.stdout.contains("\(registry.host)/multi:1 [linux/arm64]"))
    }

    @Test func unreachableOrBrokenImagesExitTwo() throws {
        let registry = try LocalRegistry()
        try registry.push(fixture: "g-secret-mount-clean", to: "ok:1")
        try registry.push(fixture: "e-overwrite-opaque", to: "broken:1")
        // Corrupt one layer of the broken image in storage.
        let manifest = try Shell.run("/usr/bin/skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://\(registry.host)/broken:1"])
        let layers = (try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as! [String: Any])["layers"] as! [[String: Any]]
        let victim = String((layers.last!["digest"] as! String).dropFirst("sha256:".count))
        var bytes = try Data(contentsOf: registry.blobFile(victim))
        bytes[bytes.count / 2] ^= 0x55
        try bytes.write(to: registry.blobFile(victim))
        let cache = TemporaryDirectory()
        let result = try StrataBinary.run(["registry", "scan", registry.host], environment: ["STRATA_CACHE_DIR": cache.path])
        #expect(result.status == 2)
        // Caught by the decompressor or by the digest check, whichever reads the damage first;
        // either way one line naming the image and the layer.
        #expect(result.stdout.contains("ERROR"))
        let errorLine = result.stdout.split(separator: "\n").first { $0.hasPrefix("error:") }.map(String.init) ?? ""
        #expect(errorLine.contains("\(registry.host)/broken:1") && errorLine.contains("layer 6"))
        #expect(errorLine.contains("corrupt") || errorLine.contains("does not match"))
        #expect(result.stdout.contains("ok:1"))
        let nobody = try StrataBinary.run(["registry", "scan", "127.0.0.1:\(try LocalRegistry.freePort())"],
                                          environment: ["STRATA_CACHE_DIR": cache.path])
        #expect(nobody.status == 2 && nobody.stderr.contains("cannot reach registry"))
    }
}
