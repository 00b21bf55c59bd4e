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

@Suite struct ExtractedArchiveTests {
    /// `tar xf image.tar` then pointing strata at the directory gives the same index.
    @Test func extractedDockerSaveDirectory() throws {
        let dir = TemporaryDirectory()
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/bin/tar")
        tar.arguments = ["-xf", Fixtures.dockerArchive("a-deleted-later-layer"), "-C", dir.path]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        let extracted = try TestImages.index(dir.path)
        let archived = try TestImages.index(Fixtures.dockerArchive("a-deleted-later-layer"))
        #expect(extracted.info.format == "docker-archive")
        #expect(extracted.errors.isEmpty)
        #expect(extracted.results.map(\.contents.entries) == archived.results.map(\.contents.entries))
        #expect(try TestImages.index("docker-archive:" + dir.path).stack.changes == archived.stack.changes)
        // A legacy layer.tar symlink pointing outside the directory is refused.
        let outside = TemporaryDirectory()
        let manifest = #"[{"Config":"x.json","Layers":["evil/layer.tar"]}]"#
        try Data(manifest.utf8).write(to: outside.file("manifest.json"))
        let config = #"{"rootfs":{"type":"layers","diff_ids":["sha256:"# + String(repeating: "0", count: 64) + #""]}}"#
        try Data(config.utf8).write(to: outside.file("x.json"))
        try FileManager.default.createDirectory(at: outside.file("evil"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: outside.file("evil/layer.tar").path, withDestinationPath: "/etc/passwd")
        let error = #expect(throws: StrataError.self) { try ImageSources.open(outside.path, options: SourceOptions(verify: false)) }
        #expect(error?.message == "missing layer 0: the archive has no member evil/layer.tar")
    }
}

@Suite struct PlatformFlagTests {
    @Test func explicitPlatformMustMatchASingleImage() throws {
        for reference in [Fixtures.ociLayout("d-build-args-env"), Fixtures.dockerArchive("d-build-args-env")] {
            #expect(try ImageSources.open(reference, options: SourceOptions(platform: "linux/amd64")).loadInfo().platform == "linux/amd64")
            let error = #expect(throws: StrataError.self) { try ImageSources.open(reference, options: SourceOptions(platform: "linux/arm64")) }
            #expect(error?.message == "the image is linux/amd64, not linux/arm64 (--platform)")
        }
    }
}
