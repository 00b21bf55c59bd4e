import Foundation
import ImageSource
import LayerIndex
import Testing
import TestSupport
@testable import Registry

/// `RegistrySource` reads the same image the docker-archive holds: same layers, history and
/// index, with only the manifest and config fetched by `loadInfo`.
@Suite(.serialized, .enabled(if: LocalRegistry.available, "docker-registry and skopeo are installed by make test"))
struct RegistrySourceTests {
    @Test func sameIndexAsTheDockerArchive() throws {
        let registry = try LocalRegistry()
        let fixture = "z-combined"
        try registry.push(fixture: fixture, to: "z:dev")
        let client = RegistryClient(registry: registry.host, options: testClientOptions)
        let text = "docker://\(registry.host)/z:dev"
        let source = RegistrySource(reference: text, imageReference: try ImageReference.parse(text), client: client,
                                    options: SourceOptions())
        let info = try source.loadInfo()
        // loadInfo fetched the manifest and the config, no layer.
        #expect(client.requestLog.filter { $0.contains("/blobs/") }.count == 1)
        #expect(source.layersOpened.isEmpty)
        let local = try ImageSources.open(Fixtures.dockerArchive(fixture))
        let localInfo = try local.loadInfo()
        #expect(info.format == "registry" && info.tags == ["dev"])
        #expect(info.layers.map(\.diffID) == localInfo.layers.map(\.diffID))
        #expect(info.layers.map(\.createdBy) == localInfo.layers.map(\.createdBy))
        #expect(info.config.history == localInfo.config.history)
        #expect(info.config.env == localInfo.config.env)
        #expect(info.layers.allSatisfy { $0.compression == .gzip })

        let remote = ImageIndexer.index(source: source, info: info)
        let archived = ImageIndexer.index(source: local, info: localInfo)
        #expect(remote.allSatisfy { $0.error == nil })
        for (r, a) in zip(remote, archived) {
            #expect(r.contents.entries == a.contents.entries, "layer \(r.layer.index)")
        }
        #expect(Set(source.layersOpened) == Set(info.layers.map(\.digest)))
    }

    /// zstd layers, and uncompressed layers the manifest still labels gzip (skopeo's
    /// `--dest-decompress` does that): the magic bytes decide.
    @Test(arguments: [("zstd", ["--dest-compress-format", "zstd"]), ("gzip", ["--dest-decompress"])])
    func zstdAndUncompressedLayers(kind: String, flags: [String]) throws {
        let registry = try LocalRegistry()
        let fixture = "e-overwrite-opaque"
        try registry.push(source: "docker-archive:" + Fixtures.dockerArchive(fixture), to: "e:\(kind)", extra: flags)
        let client = RegistryClient(registry: registry.host, options: testClientOptions)
        let text = "\(registry.host)/e:\(kind)"
        let source = RegistrySource(reference: text, imageReference: try ImageReference.parse(text), client: client,
                                    options: SourceOptions())
        let info = try source.loadInfo()
        #expect(info.layers.allSatisfy { $0.compression.rawValue == kind }, "\(info.layers.map(\.mediaType))")
        let local = try ImageSources.open(Fixtures.dockerArchive(fixture))
        let localInfo = try local.loadInfo()
        let remote = ImageIndexer.index(source: source, info: info)
        let archived = ImageIndexer.index(source: local, info: localInfo)
        #expect(remote.allSatisfy { $0.error == nil })
        #expect(remote.map(\.contents.entries) == archived.map(\.contents.entries))
    }

    @Test func wrongDiffIDIsAnErrorNamingTheLayer() throws {
        let registry = try LocalRegistry()
        try registry.push(fixture: "a-deleted-later-layer", to: "a:1")
        let client = RegistryClient(registry: registry.host, options: testClientOptions)
        let text = "\(registry.host)/a:1"
        let source = RegistrySource(reference: text, imageReference: try ImageReference.parse(text), client: client,
                                    options: SourceOptions())
        var info = try source.loadInfo()
        // Pretend the config named another diff_id for layer 2: the blob is fine, its content is not that.
        info.layers[2].diffID = info.layers[3].diffID
        let results = ImageIndexer.index(source: source, info: info)
        let failed = results.filter { $0.error != nil }
        #expect(failed.map(\.layer.index) == [2])
        #expect(failed.first?.error?.description.contains("diff_id") == true)
        #expect(results.filter { $0.error == nil }.count == info.layers.count - 1)
    }
}
