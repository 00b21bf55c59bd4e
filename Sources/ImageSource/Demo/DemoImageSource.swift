import Foundation
import LayerIndex

/// The demo image as an `ImageSource`. Its blobs are built in memory by `ImageWriter` (Docker
/// media types, uncompressed layers) and read back through `ManifestImageSource`, so the real
/// scanner reads it exactly like an image on disk: digests checked, history aligned.
public final class DemoImageSource: ImageSource, @unchecked Sendable {
    public static let tag = "strata-demo:latest"
    public let demo: DemoImage
    public let spec: ImageSpec
    public let built: BuiltImage
    private let source: ManifestImageSource

    public var reference: String { source.reference }

    public init(demo: DemoImage = DemoImage()) {
        self.demo = demo
        spec = demo.spec
        built = ImageWriter.build(spec, dockerMediaTypes: true)
        var blobs: [Digest: [UInt8]] = [built.configDigest: built.config]
        for layer in built.layers { blobs[layer.digest] = layer.blob }
        let store = MemoryBlobStore(blobs: blobs)
        // The writer's output is ours and well-formed: failing to read it back is a bug, not input.
        source = try! ManifestImageSource.open(reference: Self.tag, format: "demo", store: store, topBytes: built.manifest,
                                               topName: "demo manifest", tag: nil, options: SourceOptions())
    }

    public func loadInfo() throws -> ImageInfo {
        var info = try source.loadInfo()
        info.tags = [Self.tag]
        return info
    }

    public func openLayer(_ layer: LayerDescriptor) throws -> ByteStream { try source.openLayer(layer) }

    /// Writes the demo as a docker-archive (`docker save` layout) that other tools can load.
    public func writeDockerArchive(to path: String) throws {
        try ImageWriter.writeDockerArchive(spec, to: path, tags: [Self.tag])
    }
}

/// Blobs held in memory, by digest.
public struct MemoryBlobStore: BlobStore {
    public let blobs: [Digest: [UInt8]]
    public init(blobs: [Digest: [UInt8]]) { self.blobs = blobs }
    public var location: String { "memory" }
    public func contains(_ digest: Digest) -> Bool { blobs[digest] != nil }
    public func open(_ digest: Digest) throws -> ByteStream {
        guard let bytes = blobs[digest] else { throw StrataError("missing blob", layerDigest: digest) }
        return MemoryByteStream(bytes)
    }
}

extension DemoImage {
    /// The demo as an `ImageWriter` spec: tar entries per layer (whiteouts as `.wh.` markers),
    /// history with the empty-layer steps, the config's env and labels.
    public var spec: ImageSpec {
        let mtime: Int64 = 1_767_607_200
        let layerSpecs: [LayerSpec] = layers.enumerated().map { index, members in
            let entries: [TarWriterEntry] = members.map { m in
                let owner = m.path.hasPrefix("home/node") ? 1000 : 0
                switch m.kind {
                case .file(let bytes): return TarWriterEntry(name: m.path, kind: .file(bytes), mode: m.mode, uid: owner, gid: owner, mtime: mtime)
                case .dir: return TarWriterEntry(name: m.path, kind: .directory, mode: m.mode, uid: owner, gid: owner, mtime: mtime)
                case .symlink(let target): return TarWriterEntry(name: m.path, kind: .symlink(target), mode: 0o777, mtime: mtime)
                case .whiteout: return .whiteout(m.path)
                case .opaque: return .opaque(m.path)
                }
            }
            let step = history.first { $0.layer == index }?.createdBy ?? ""
            return LayerSpec(entries, compression: .none, createdBy: step)
        }
        let config = ConfigSpec(created: DemoImage.created, env: env, labels: ["org.opencontainers.image.title": "strata demo"],
                                cmd: ["node", "server.js"], workingDir: "/app", user: "node",
                                history: history.map { HistorySpec($0.createdBy, emptyLayer: $0.layer == nil) })
        return ImageSpec(layers: layerSpecs, config: config)
    }
}
