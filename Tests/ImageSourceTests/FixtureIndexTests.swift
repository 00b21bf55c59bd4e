import Foundation
import Testing
import ImageSource
import LayerIndex
import TestSupport

/// Indexes every real fixture image (made with buildah + skopeo) in both formats.
@Suite struct FixtureIndexTests {
    static func load(_ reference: String) throws -> (ImageInfo, [LayerIndexResult]) {
        let source = try ImageSources.open(reference)
        let info = try source.loadInfo()
        return (info, ImageIndexer.index(source: source, info: info))
    }

    @Test(arguments: Fixtures.imageNames)
    func dockerArchiveAndOCIGiveTheSameIndex(name: String) throws {
        let (dockerInfo, docker) = try Self.load(Fixtures.dockerArchive(name))
        let (ociInfo, oci) = try Self.load(Fixtures.ociLayout(name))
        #expect(dockerInfo.format == "docker-archive")
        #expect(ociInfo.format == "oci")
        #expect(docker.allSatisfy { $0.error == nil })
        #expect(oci.allSatisfy { $0.error == nil })
        #expect(docker.count == oci.count)
        #expect(dockerInfo.layers.map(\.diffID) == ociInfo.layers.map(\.diffID))
        #expect(dockerInfo.layers.map(\.createdBy) == ociInfo.layers.map(\.createdBy))
        for (d, o) in zip(docker, oci) {
            #expect(d.contents.entries == o.contents.entries, "layer \(d.layer.index)")
        }
        let ds = LayerStack(layers: docker.map(\.contents))
        let os = LayerStack(layers: oci.map(\.contents))
        #expect(ds.changes == os.changes)
        #expect(ds.historyOnly() == os.historyOnly())
    }
}
