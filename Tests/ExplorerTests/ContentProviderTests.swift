import Foundation
@testable import Explorer
import ImageSource
import LayerIndex
import Testing
import TestSupport

/// Opening files of a layer: the same bytes whatever the order the files are opened in, the
/// format, the compression — through random access where the blob is a local file, through a
/// stream otherwise.
@Suite struct ContentProviderTests {
    /// ~600 files of varied text (several MB, so a gzip blob gets several checkpoints), long
    /// names, a duplicate path (the first copy is the one shown), directories and a symlink.
    static func layer() -> (entries: [TarWriterEntry], files: [String: [UInt8]]) {
        var entries: [TarWriterEntry] = [.dir("srv"), .dir("srv/data")]
        var files: [String: [UInt8]] = [:]
        var state: UInt64 = 42
        for i in 0..<600 {
            var text = ""
            for _ in 0..<(200 + i % 300) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text += "\(state >> 33) line of file \(i)\n"
            }
            let name = i % 97 == 0 ? "srv/data/" + String(repeating: "long-directory-name/", count: 8) + "f\(i).txt" : "srv/data/f\(i).txt"
            entries.append(.file(name, text))
            files[name] = Array(text.utf8)
        }
        entries.append(.file("srv/data/f5.txt", "a later copy of f5\n"))
        entries.append(.symlink("srv/link", to: "data/f1.txt"))
        return (entries, files)
    }

    @Test(arguments: [(TestImageFormat.ociLayout, LayerCompression.gzip), (.ociLayout, .none), (.dockerArchive, .none),
                      (.dockerArchiveGzip, .gzip), (.ociArchive, .gzip), (.ociLayout, .zstd)])
    func filesReadTheSameInAnyOrder(format: TestImageFormat, compression: LayerCompression) throws {
        let dir = TemporaryDirectory("strata-provider")
        let (entries, files) = Self.layer()
        let reference = try TestImages.write(ImageSpec(layers: [LayerSpec(entries, compression: compression)]), as: format, in: dir)
        let source = try ImageSources.open(reference)
        let provider = ImageSourceContentProvider(source: source, layers: try source.loadInfo().layers)
        var names = Array(files.keys)
        names.shuffle()
        // Late, early, then everything in a random order; some twice.
        for name in ["srv/data/f599.txt", "srv/data/f3.txt"] + names + names.prefix(20) {
            let content = try provider.read(layer: 0, path: name, limit: 1 << 20)
            #expect(content.bytes == files[name], "\(name)")
            #expect(content.size == Int64(files[name]!.count))
        }
        // A fresh provider opened in tar order: every open walks on from where the last one stopped.
        let inOrder = ImageSourceContentProvider(source: source, layers: try source.loadInfo().layers)
        for i in 0..<60 where i % 97 != 0 {
            #expect(try inOrder.read(layer: 0, path: "srv/data/f\(i).txt", limit: 1 << 20).bytes == files["srv/data/f\(i).txt"])
        }
        #expect(throws: StrataError.self) { try provider.read(layer: 0, path: "srv/data/missing.txt", limit: 100) }
        #expect(throws: StrataError.self) { try provider.read(layer: 0, path: "srv/link", limit: 100) }
        // Extraction writes the whole file.
        let out = dir.file("f10.out")
        #expect(try provider.extract(layer: 0, path: "srv/data/f10.txt", to: out) == Int64(files["srv/data/f10.txt"]!.count))
        #expect(try Array(Data(contentsOf: out)) == files["srv/data/f10.txt"])
    }

    /// `strata explore IMAGE --bench-open` measures real opens (no timing is asserted here).
    @Test func openBenchmarkRunsOnARealLayer() throws {
        let dir = TemporaryDirectory("strata-provider")
        let reference = try TestImages.write(ImageSpec(layers: [LayerSpec([.file("small", "x")]), LayerSpec(Self.layer().entries)]),
                                             as: .ociLayout, in: dir)
        let r = try FileOpenBenchmark.run(source: try ImageSources.open(reference), files: 20)
        #expect(r.layer == 1 && r.files == 20)
        #expect(r.streamed.count == 20 && r.firstWalk.count == 20 && r.reopened.count == 20)
    }

    /// A layer blob cut short: files before the cut still open, a file past it is one clear error
    /// naming the image, layer and path (never a crash or a hang).
    @Test func truncatedBlobIsAClearError() throws {
        let dir = TemporaryDirectory("strata-provider")
        let (entries, files) = Self.layer()
        let reference = try TestImages.write(ImageSpec(layers: [LayerSpec(entries)]), as: .ociLayout, in: dir)
        let source = try ImageSources.open(reference)
        let layer = try source.loadInfo().layers[0]
        let blob = URL(fileURLWithPath: reference).appendingPathComponent("blobs/sha256/" + layer.digest.hex)
        let bytes = try Data(contentsOf: blob)
        try bytes.prefix(bytes.count / 2).write(to: blob)
        let provider = ImageSourceContentProvider(source: source, layers: [layer])
        #expect(try provider.read(layer: 0, path: "srv/data/f1.txt", limit: 1 << 20).bytes == files["srv/data/f1.txt"])
        do {
            _ = try provider.read(layer: 0, path: "srv/data/f599.txt", limit: 1 << 20)
            Issue.record("a file past the cut was read")
        } catch let error as StrataError {
            #expect(error.layer == 0 && error.path == "srv/data/f599.txt")
            #expect(error.description.contains("truncated") || error.description.contains("ends early"), "\(error)")
        }
        // Still the same answer, and earlier files still open.
        #expect(throws: StrataError.self) { try provider.read(layer: 0, path: "srv/data/f598.txt", limit: 100) }
        #expect(try provider.read(layer: 0, path: "srv/data/f2.txt", limit: 1 << 20).bytes == files["srv/data/f2.txt"])
    }

    /// Past its bound the offset map stops growing, and the members it had no room for are
    /// still found (by reading the layer from its start).
    @Test func membersBeyondTheRememberedBoundStillOpen() throws {
        let dir = TemporaryDirectory("strata-provider")
        let (entries, files) = Self.layer()
        let reference = try TestImages.write(ImageSpec(layers: [LayerSpec(entries, compression: .none)]), as: .ociLayout, in: dir)
        let layer = try ImageSources.open(reference).loadInfo().layers[0]
        let blob = try FileByteStream(path: reference + "/blobs/sha256/" + layer.digest.hex)
        let access = try #require(try LayerFileAccess(blob: blob, maxRemembered: 10))
        func read(_ name: String) throws -> [UInt8]? {
            var bytes: [UInt8] = []
            return try access.find(path: name) { bytes.append(contentsOf: $0) }.map { _ in bytes }
        }
        #expect(try read("srv/data/f599.txt") == files["srv/data/f599.txt"])
        for name in ["srv/data/f1.txt", "srv/data/f300.txt", "srv/data/f5.txt"] { #expect(try read(name) == files[name], "\(name)") }
        #expect(try read("srv/data/missing.txt") == nil)
    }
}
