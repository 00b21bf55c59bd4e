import Foundation
import LayerIndex

/// A layer turned into bytes: its tar, its (possibly compressed) blob and their digests.
public struct BuiltLayer: Sendable {
    public var tar: [UInt8]
    public var blob: [UInt8]
    public var digest: Digest
    public var diffID: Digest
    public var mediaType: String
}

/// An image turned into blobs: layers, config, manifest.
public struct BuiltImage: Sendable {
    public var layers: [BuiltLayer]
    public var config: [UInt8]
    public var configDigest: Digest
    public var manifest: [UInt8]
    public var manifestDigest: Digest
    public var platform: OCIPlatform
}

/// What `index.json` lists in an OCI layout written by `ImageWriter`.
public enum OCIIndexEntry: Sendable {
    /// One image manifest, optionally named (`org.opencontainers.image.ref.name`).
    case image(ImageSpec, refName: String?)
    /// A multi-platform image: an image index (nested under index.json when `nested`, else its
    /// manifests listed in index.json directly), each manifest with its config's platform.
    case multiPlatform([ImageSpec], refName: String?, nested: Bool)
}

/// Writes images described in memory as docker-archives (legacy layout), OCI layout
/// directories, OCI archives (tar of a layout), skopeo `dir:` copies, and multi-platform
/// indexes. Used for the built-in demo image and by tests to build edge-case images.
///
///     let spec = ImageSpec(layers: [LayerSpec([.dir("etc"), .file("etc/motd", "hi")], createdBy: "COPY motd /etc/")])
///     try ImageWriter.writeOCILayout([.image(spec, refName: "latest")], to: "/tmp/img")
///     try ImageWriter.writeDockerArchive(spec, to: "/tmp/img.tar", tags: ["demo:latest"])
public enum ImageWriter {
    /// Turns a spec into blobs. `dockerMediaTypes` writes Docker schema 2 media types.
    public static func build(_ spec: ImageSpec, dockerMediaTypes: Bool = false) -> BuiltImage {
        var layers: [BuiltLayer] = []
        for layer in spec.layers {
            let tar = layer.tar
            let blob = Compression.compress(tar, layer.compression)
            let diffID = layer.diffIDOverride ?? Digest(hex: SHA256Hasher.hex(of: tar))
            let mediaType: String
            switch (layer.compression, dockerMediaTypes) {
            case (.none, false): mediaType = MediaTypes.ociLayer
            case (.gzip, false): mediaType = MediaTypes.ociLayerGzip
            case (.zstd, _): mediaType = MediaTypes.ociLayerZstd
            case (.none, true): mediaType = MediaTypes.dockerLayer
            case (.gzip, true): mediaType = MediaTypes.dockerLayerGzip
            }
            layers.append(BuiltLayer(tar: tar, blob: blob, digest: Digest(hex: SHA256Hasher.hex(of: blob)),
                                     diffID: diffID, mediaType: mediaType))
        }
        let config = configJSON(spec, diffIDs: layers.map(\.diffID))
        let configDigest = Digest(hex: SHA256Hasher.hex(of: config))
        let manifest = WriterJSON.encode(ManifestOut(
            schemaVersion: 2, mediaType: dockerMediaTypes ? MediaTypes.dockerManifest : MediaTypes.ociManifest,
            config: OCIDescriptor(mediaType: dockerMediaTypes ? MediaTypes.dockerConfig : MediaTypes.ociConfig,
                                  digest: configDigest.description, size: Int64(config.count)),
            layers: layers.map { OCIDescriptor(mediaType: $0.mediaType, digest: $0.digest.description, size: Int64($0.blob.count)) }))
        return BuiltImage(layers: layers, config: config, configDigest: configDigest, manifest: manifest,
                          manifestDigest: Digest(hex: SHA256Hasher.hex(of: manifest)), platform: spec.config.platform)
    }

    // MARK: OCI layout

    /// The files of an OCI layout (relative path → bytes).
    public static func ociLayoutFiles(_ entries: [OCIIndexEntry]) -> [(String, [UInt8])] {
        var blobs: [Digest: [UInt8]] = [:]
        var layerDigests: Set<Digest> = []
        var descriptors: [OCIDescriptor] = []
        func add(_ image: BuiltImage) {
            for layer in image.layers {
                blobs[layer.digest] = layer.blob
                layerDigests.insert(layer.digest)
            }
            blobs[image.configDigest] = image.config
            blobs[image.manifestDigest] = image.manifest
        }
        for entry in entries {
            switch entry {
            case .image(let spec, let refName):
                let image = build(spec)
                add(image)
                descriptors.append(OCIDescriptor(mediaType: MediaTypes.ociManifest, digest: image.manifestDigest.description,
                                                 size: Int64(image.manifest.count),
                                                 annotations: refName.map { [MediaTypes.refNameAnnotation: $0] }))
            case .multiPlatform(let specs, let refName, let nested):
                let images = specs.map { build($0) }
                images.forEach(add)
                let manifests = images.map {
                    OCIDescriptor(mediaType: MediaTypes.ociManifest, digest: $0.manifestDigest.description,
                                  size: Int64($0.manifest.count), platform: $0.platform,
                                  annotations: nested ? nil : refName.map { [MediaTypes.refNameAnnotation: $0] })
                }
                if nested {
                    let index = WriterJSON.encode(IndexOut(schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: manifests))
                    let digest = Digest(hex: SHA256Hasher.hex(of: index))
                    blobs[digest] = index
                    descriptors.append(OCIDescriptor(mediaType: MediaTypes.ociIndex, digest: digest.description,
                                                     size: Int64(index.count),
                                                     annotations: refName.map { [MediaTypes.refNameAnnotation: $0] }))
                } else {
                    descriptors.append(contentsOf: manifests)
                }
            }
        }
        var files: [(String, [UInt8])] = [
            ("oci-layout", Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8)),
            ("index.json", WriterJSON.encode(IndexOut(schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: descriptors))),
        ]
        // Small documents (indexes, manifests, configs) first, layers last: a reader of a cut
        // archive still finds the manifests.
        let ordered = blobs.sorted { a, b in
            let la = layerDigests.contains(a.key), lb = layerDigests.contains(b.key)
            return la != lb ? lb : a.key < b.key
        }
        for (digest, bytes) in ordered {
            files.append(("blobs/\(digest.algorithm)/\(digest.hex)", bytes))
        }
        return files
    }

    /// Writes an OCI image layout directory.
    public static func writeOCILayout(_ entries: [OCIIndexEntry], to dir: String) throws {
        try writeFiles(ociLayoutFiles(entries), under: dir)
    }

    /// Writes a single image as an OCI layout directory, named `refName`.
    public static func writeOCILayout(_ spec: ImageSpec, to dir: String, refName: String? = "latest") throws {
        try writeOCILayout([.image(spec, refName: refName)], to: dir)
    }

    /// Writes an OCI archive: a tar of an OCI layout (optionally compressed as a whole).
    public static func writeOCIArchive(_ entries: [OCIIndexEntry], to path: String, compression: LayerCompression = .none) throws {
        var dirs: Set<String> = []
        var tarEntries: [TarWriterEntry] = []
        for (name, bytes) in ociLayoutFiles(entries) {
            var dir = PathNormalizer.dirname(name)
            var chain: [String] = []
            while !dir.isEmpty && !dirs.contains(dir) { chain.append(dir); dirs.insert(dir); dir = PathNormalizer.dirname(dir) }
            tarEntries += chain.reversed().map { TarWriterEntry.dir($0) }
            tarEntries.append(.file(name, bytes: bytes))
        }
        try writeFile(Compression.compress(TarWriter.archive(tarEntries), compression), to: path)
    }

    // MARK: docker-archive

    /// How layer members are named in a docker-archive.
    public enum DockerArchiveLayout: Sendable {
        /// `<id>/layer.tar` with `VERSION` and `json` (docker save before 25).
        case legacy
        /// `<diff_id hex>.tar` at the top (skopeo).
        case diffIDNamed
        /// Docker 25+: an OCI layout (`index.json`, `blobs/sha256/…`, uncompressed layers) with a
        /// `manifest.json` whose `Config` and `Layers` point into `blobs/`.
        case ociLayout
    }

    /// Writes a `docker save`-style archive. Layers are stored uncompressed (their `compression`
    /// applies to OCI outputs only); `compressArchive` compresses the whole tar (`.tar.gz`).
    public static func writeDockerArchive(_ spec: ImageSpec, to path: String, tags: [String] = [],
                                          layout: DockerArchiveLayout = .legacy, compressArchive: LayerCompression = .none) throws {
        var plain = spec
        for i in plain.layers.indices { plain.layers[i].compression = .none }
        if layout == .ociLayout {
            let image = build(plain)
            var files = ociLayoutFiles([.image(plain, refName: tags.first)])
            let manifest = [DockerArchiveManifestItem(Config: "blobs/sha256/\(image.configDigest.hex)", RepoTags: tags,
                                                      Layers: image.layers.map { "blobs/sha256/\($0.digest.hex)" })]
            files.append(("manifest.json", WriterJSON.encode(manifest)))
            var entries: [TarWriterEntry] = [.dir("blobs"), .dir("blobs/sha256")]
            entries += files.map { TarWriterEntry.file($0.0, bytes: $0.1) }
            try writeFile(Compression.compress(TarWriter.archive(entries), compressArchive), to: path)
            return
        }
        try writeDockerArchive(images: [(plain, tags)], to: path, layout: layout, compressArchive: compressArchive)
    }

    /// Writes several images into one docker-archive (`docker save a b`): one `manifest.json`
    /// item per image, shared layers stored once. Legacy or diff_id-named layout.
    public static func writeDockerArchive(images: [(ImageSpec, [String])], to path: String,
                                          layout: DockerArchiveLayout = .legacy, compressArchive: LayerCompression = .none) throws {
        var entries: [TarWriterEntry] = []
        var written: Set<String> = []
        var manifest: [DockerArchiveManifestItem] = []
        func add(_ entry: TarWriterEntry) {
            if written.insert(entry.name).inserted { entries.append(entry) }
        }
        for (spec, tags) in images {
            var plain = spec
            for i in plain.layers.indices { plain.layers[i].compression = .none }
            let image = build(plain, dockerMediaTypes: true)
            var layerNames: [String] = []
            var parent: String?
            for layer in image.layers {
                switch layout {
                case .legacy:
                    // A v1 id: a hash of the chain, as docker save makes.
                    let id = SHA256Hasher.hex(of: Array(((parent ?? "") + layer.diffID.description).utf8))
                    var v1: [String: String] = ["id": id]
                    if let parent { v1["parent"] = parent }
                    add(.dir(id))
                    add(.file("\(id)/VERSION", "1.0"))
                    add(.file("\(id)/json", bytes: WriterJSON.encode(v1)))
                    add(.file("\(id)/layer.tar", bytes: layer.tar))
                    layerNames.append("\(id)/layer.tar")
                    parent = id
                case .diffIDNamed, .ociLayout:
                    add(.file("\(layer.diffID.hex).tar", bytes: layer.tar))
                    layerNames.append("\(layer.diffID.hex).tar")
                }
            }
            let configName = "\(image.configDigest.hex).json"
            add(.file(configName, bytes: image.config))
            manifest.append(DockerArchiveManifestItem(Config: configName, RepoTags: tags, Layers: layerNames))
        }
        entries.append(.file("manifest.json", bytes: WriterJSON.encode(manifest)))
        try writeFile(Compression.compress(TarWriter.archive(entries), compressArchive), to: path)
    }

    // MARK: skopeo dir:

    /// Writes a skopeo `dir:` copy: `manifest.json`, `version`, and blobs named by hex digest.
    public static func writeSkopeoDir(_ spec: ImageSpec, to dir: String) throws {
        let image = build(spec)
        var files: [(String, [UInt8])] = [("version", Array("Directory Transport Version: 1.1\n".utf8)),
                                          ("manifest.json", image.manifest),
                                          (image.configDigest.hex, image.config)]
        for layer in image.layers { files.append((layer.digest.hex, layer.blob)) }
        try writeFiles(files, under: dir)
    }

    // MARK: helpers

    static func configJSON(_ spec: ImageSpec, diffIDs: [Digest]) -> [UInt8] {
        let c = spec.config
        let history = c.history ?? spec.layers.map { HistorySpec($0.createdBy) }
        return WriterJSON.encode(ConfigOut(
            created: c.created, architecture: c.architecture, os: c.os, variant: c.variant,
            config: .init(Env: c.env, Labels: c.labels.isEmpty ? nil : c.labels, Cmd: c.cmd, Entrypoint: c.entrypoint,
                          WorkingDir: c.workingDir, User: c.user),
            rootfs: .init(type: "layers", diff_ids: diffIDs.map(\.description)),
            history: history.map { .init(created: c.created, created_by: $0.createdBy, comment: $0.comment,
                                         empty_layer: $0.emptyLayer ? true : nil) }))
    }

    static func writeFiles(_ files: [(String, [UInt8])], under dir: String) throws {
        for (name, bytes) in files { try writeFile(bytes, to: dir + "/" + name) }
    }

    static func writeFile(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        } catch {
            throw StrataError("cannot write: \(error.localizedDescription)", path: path)
        }
    }
}

// MARK: JSON shapes written

struct ManifestOut: Encodable {
    var schemaVersion: Int
    var mediaType: String
    var config: OCIDescriptor
    var layers: [OCIDescriptor]
}

struct IndexOut: Encodable {
    var schemaVersion: Int
    var mediaType: String
    var manifests: [OCIDescriptor]
}

struct ConfigOut: Encodable {
    struct Inner: Encodable {
        var Env: [String]
        var Labels: [String: String]?
        var Cmd: [String]?
        var Entrypoint: [String]?
        var WorkingDir: String?
        var User: String?
    }
    struct RootFS: Encodable {
        var type: String
        var diff_ids: [String]
    }
    struct History: Encodable {
        var created: String
        var created_by: String
        var comment: String?
        var empty_layer: Bool?
    }
    var created: String
    var architecture: String
    var os: String
    var variant: String?
    var config: Inner
    var rootfs: RootFS
    var history: [History]
}

enum WriterJSON {
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data())
    }
}
