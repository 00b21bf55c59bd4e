import Foundation
import LayerIndex

/// An image read through manifests and content-addressed blobs: an OCI layout directory, an
/// OCI archive (read in place), a skopeo `dir:`, or the OCI layout inside a newer docker-archive.
///
/// Opening reads the index (following nested indexes), picks one manifest by `:TAG` and
/// platform, reads the manifest and config (digests checked) and aligns the history.
/// Layers are opened on demand: blob → sha256 check → decompression (chosen by magic bytes)
/// → diff_id check.
public final class ManifestImageSource: ImageSource, LayerBlobFiles, @unchecked Sendable {
    public let reference: String
    public let store: any BlobStore
    public let info: ImageInfo
    public let options: SourceOptions
    /// Keeps a temporary decompressed archive alive as long as the source.
    private let keepAlive: AnyObject?

    init(reference: String, store: any BlobStore, info: ImageInfo, options: SourceOptions, keepAlive: AnyObject?) {
        self.reference = reference
        self.store = store
        self.info = info
        self.options = options
        self.keepAlive = keepAlive
    }

    public func loadInfo() throws -> ImageInfo { info }

    public func openLayer(_ layer: LayerDescriptor) throws -> ByteStream {
        let raw = try store.open(layer.digest)
        let blob = DigestingStream(raw, expected: layer.digest, verify: options.verify, what: "layer blob", expectedSize: layer.size)
        let (plain, compression) = try Decompression.decompress(blob, name: "layer blob \(layer.digest.short)",
                                                                digestVerified: options.verify && layer.hasSHA256Digest)
        if compression == .none && layer.digest == layer.diffID { return plain }
        return DigestingStream(plain, expected: layer.diffID, verify: options.verify, what: "uncompressed layer (diff_id)")
    }

    public func layerBlobFile(_ layer: LayerDescriptor) throws -> FileByteStream? {
        try store.file(layer.digest)
    }

    /// Opens an image whose top document is `topBytes`: an OCI `index.json`, or a manifest
    /// (skopeo `dir:` `manifest.json`), or a manifest list. Any `BlobStore` works (a registry
    /// client can supply one that fetches blobs over HTTP and get selection, verification,
    /// config parsing and history alignment from here).
    public static func open(reference: String, format: String, store: any BlobStore, topBytes: [UInt8], topName: String,
                     tag: String?, options: SourceOptions, keepAlive: AnyObject? = nil) throws -> ManifestImageSource {
        do {
            let top = try ManifestDocument.decode(topBytes, what: topName)
            let manifestDigest: Digest?
            let manifest: ManifestDocument
            var tags: [String] = []
            /// Checked against the config when no index descriptor told the platform.
            var platformToCheck = options.platform
            if top.isManifest {
                manifestDigest = Digest(hex: SHA256Hasher.hex(of: topBytes))
                manifest = top
            } else {
                var candidates: [ManifestCandidate] = []
                try collect(top, store: store, inheritedRef: nil, inheritedPlatform: nil, depth: 0,
                            verify: options.verify, into: &candidates)
                let chosen = try PlatformSelector.select(candidates, tag: tag, platform: options.platform.map(PlatformRequest.parse),
                                                         reference: reference)
                manifestDigest = chosen.digest
                if chosen.platform != nil { platformToCheck = nil }
                if let ref = chosen.refName { tags = [ref] }
                let bytes = try store.readJSONBlob(chosen.digest, what: "manifest \(chosen.digest.short)", verify: options.verify)
                manifest = try ManifestDocument.decode(bytes, what: "manifest \(chosen.digest.short)")
                guard manifest.isManifest else {
                    throw StrataError("manifest \(chosen.digest.short) is an index where an image manifest was expected")
                }
            }
            guard let configDescriptor = manifest.config else {
                throw StrataError("the manifest has no config")
            }
            let configDigest = try parseDigest(configDescriptor.digest, what: "config digest")
            let configBytes = try store.readJSONBlob(configDigest, what: "config \(configDigest.short)", verify: options.verify)
            var layers: [ManifestLayer] = []
            for (i, descriptor) in (manifest.layers ?? []).enumerated() {
                let digest = try parseDigest(descriptor.digest, what: "digest of layer \(i)")
                let mediaType = descriptor.mediaType ?? MediaTypes.ociLayer
                if mediaType.contains("encrypted") {
                    throw StrataError("layer \(i) is encrypted (\(Sanitize.line(mediaType))): strata cannot read it")
                }
                layers.append(ManifestLayer(digest: digest, size: descriptor.size ?? 0, mediaType: mediaType,
                                            compression: Decompression.compression(forMediaType: mediaType)))
            }
            let info = try ImageAssembler.assemble(reference: reference, format: format, manifestDigest: manifestDigest,
                                                   configDigest: configDigest, configBytes: configBytes, layers: layers,
                                                   tags: tags, verify: options.verify, platform: platformToCheck)
            return ManifestImageSource(reference: reference, store: store, info: info, options: options, keepAlive: keepAlive)
        } catch let error as StrataError {
            throw error.with(image: reference)
        }
    }

    static func parseDigest(_ text: String, what: String) throws -> Digest {
        guard let digest = Digest(parsing: text) else {
            throw StrataError("invalid \(what): \(Sanitize.line(String(text.prefix(80))))")
        }
        return digest
    }

    /// Walks an index (and nested indexes, up to a small depth) to the image manifests it lists.
    static func collect(_ index: ManifestDocument, store: any BlobStore, inheritedRef: String?, inheritedPlatform: OCIPlatform?,
                        depth: Int, verify: Bool, into out: inout [ManifestCandidate]) throws {
        guard depth < 8 else { throw StrataError("image indexes are nested more than 8 deep") }
        for descriptor in index.manifests ?? [] {
            let digest = try parseDigest(descriptor.digest, what: "manifest digest in an index")
            let ref = descriptor.annotations?[MediaTypes.refNameAnnotation] ?? inheritedRef
            let platform = descriptor.platform ?? inheritedPlatform
            if ManifestCandidate.isNotAnImage(platform: platform, annotations: descriptor.annotations) { continue }
            if MediaTypes.isIndex(descriptor.mediaType) {
                let bytes = try store.readJSONBlob(digest, what: "index \(digest.short)", verify: verify)
                let nested = try ManifestDocument.decode(bytes, what: "index \(digest.short)")
                if nested.isManifest {
                    out.append(ManifestCandidate(descriptor: descriptor, digest: digest, refName: ref, platform: platform))
                } else {
                    try collect(nested, store: store, inheritedRef: ref, inheritedPlatform: platform, depth: depth + 1,
                                verify: verify, into: &out)
                }
            } else if MediaTypes.isManifest(descriptor.mediaType) || descriptor.mediaType == nil {
                out.append(ManifestCandidate(descriptor: descriptor, digest: digest, refName: ref, platform: platform))
            }
            // Other media types (signatures, artifacts) are not images: skipped.
        }
    }
}
