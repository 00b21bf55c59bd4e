import Foundation
import ImageSource
import LayerIndex

/// The on-disk forms a generated test image can take.
public enum TestImageFormat: String, CaseIterable, Sendable {
    case ociLayout, ociArchive, dockerArchive, dockerArchiveDiffIDNamed, dockerArchiveOCI, dockerArchiveGzip, skopeoDir
}

/// Builds edge-case images for tests on top of `ImageWriter`, and indexes them.
///
///     let dir = TemporaryDirectory()
///     let ref = try TestImages.write(ImageSpec(layers: [LayerSpec([.file("a", "x")])]), as: .ociLayout, in: dir)
///     let image = try TestImages.index(ref)
public enum TestImages {
    /// Writes `spec` in `format` under `dir` and returns a reference that opens it.
    public static func write(_ spec: ImageSpec, as format: TestImageFormat, in dir: TemporaryDirectory,
                             name: String = "image", tag: String = "latest") throws -> String {
        switch format {
        case .ociLayout:
            let path = dir.file(name).path
            try ImageWriter.writeOCILayout(spec, to: path, refName: tag)
            return path
        case .ociArchive:
            let path = dir.file(name + ".oci.tar").path
            try ImageWriter.writeOCIArchive([.image(spec, refName: tag)], to: path)
            return "oci-archive:" + path
        case .dockerArchive:
            let path = dir.file(name + ".tar").path
            try ImageWriter.writeDockerArchive(spec, to: path, tags: ["test/\(name):\(tag)"], layout: .legacy)
            return path
        case .dockerArchiveDiffIDNamed:
            let path = dir.file(name + "-skopeo.tar").path
            try ImageWriter.writeDockerArchive(spec, to: path, tags: ["test/\(name):\(tag)"], layout: .diffIDNamed)
            return "docker-archive:" + path
        case .dockerArchiveOCI:
            let path = dir.file(name + "-docker25.tar").path
            try ImageWriter.writeDockerArchive(spec, to: path, tags: ["test/\(name):\(tag)"], layout: .ociLayout)
            return path
        case .dockerArchiveGzip:
            let path = dir.file(name + ".tar.gz").path
            try ImageWriter.writeDockerArchive(spec, to: path, tags: ["test/\(name):\(tag)"], compressArchive: .gzip)
            return path
        case .skopeoDir:
            let path = dir.file(name + "-dir").path
            try ImageWriter.writeSkopeoDir(spec, to: path)
            return "dir:" + path
        }
    }

    /// An opened and indexed image.
    public struct Indexed {
        public var info: ImageInfo
        public var results: [LayerIndexResult]
        public var stack: LayerStack

        public var errors: [StrataError] { results.compactMap(\.error) }
        public var problems: [String] { results.flatMap(\.contents.problems) }

        /// Entries of layer `i` by path (whiteouts keyed as `path#removal` / `path#opaque`).
        public func entries(_ i: Int) -> [String: Entry] {
            var out: [String: Entry] = [:]
            for e in results[i].contents.entries {
                out[e.whiteout.map { e.path + "#" + $0.rawValue } ?? e.path] = e
            }
            return out
        }

        /// `path → change kind` of layer `i`.
        public func changes(_ i: Int) -> [String: ChangeKind] {
            var out: [String: ChangeKind] = [:]
            for c in stack.changes[i] { out[c.path] = c.kind }
            return out
        }
    }

    /// Opens and indexes `reference` (all layers, in parallel).
    public static func index(_ reference: String, options: SourceOptions = SourceOptions()) throws -> Indexed {
        let source = try ImageSources.open(reference, options: options)
        let info = try source.loadInfo()
        let results = ImageIndexer.index(source: source, info: info)
        return Indexed(info: info, results: results, stack: LayerStack(layers: results.map(\.contents)))
    }

    /// A random-looking fake token of the given prefix (tests never carry real secrets).
    public static func fakeToken(prefix: String, length: Int = 36) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return prefix + String((0..<length).map { _ in alphabet.randomElement()! })
    }
}
