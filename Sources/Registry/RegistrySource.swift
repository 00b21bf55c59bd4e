import Foundation
import ImageSource
import LayerIndex

/// An image in a registry as an `ImageSource`. `loadInfo` fetches only the manifest (choosing
/// from an index by platform) and the config: the layer list is known before any blob moves.
/// `openLayer` streams one blob, checks its digest, decompresses (gzip or zstd, from the magic
/// bytes) and checks the diff_id. Layers the scanner finds in its cache are never opened,
/// so never downloaded.
public final class RegistrySource: ImageSource, @unchecked Sendable {
    /// The reference as the user gave it.
    public let reference: String
    public let imageReference: ImageReference
    public let client: RegistryClient
    public let options: SourceOptions
    private let lock = NSLock()
    private var info: ImageInfo?
    private var resolvedImage: ResolvedImage?
    private var opened: [Digest] = []
    /// Layer blobs opened so far (layers actually fetched), for tests and summaries.
    public var layersOpened: [Digest] {
        lock.lock()
        defer { lock.unlock() }
        return opened
    }

    public init(reference: String, imageReference: ImageReference, client: RegistryClient, options: SourceOptions) {
        self.reference = reference
        self.imageReference = imageReference
        self.client = client
        self.options = options
    }

    /// Opens `text` through the session's client for its registry.
    public convenience init(reference text: String, session: RegistrySession, options: SourceOptions) throws {
        let parsed = try ImageReference.parse(text)
        self.init(reference: text, imageReference: parsed, client: session.client(for: parsed.registry), options: options)
    }

    /// The manifest and config as resolved by `loadInfo`.
    public var resolved: ResolvedImage? {
        lock.lock()
        defer { lock.unlock() }
        return resolvedImage
    }

    public func loadInfo() throws -> ImageInfo {
        lock.lock()
        if let info {
            lock.unlock()
            return info
        }
        lock.unlock()
        let platform = try options.platform.map(PlatformRequest.parse)
        let resolved = try client.resolve(imageReference, platform: platform, image: reference)
        let built = try Self.assemble(resolved, reference: reference, tag: imageReference.tag, verify: options.verify)
        lock.lock()
        info = built
        resolvedImage = resolved
        lock.unlock()
        return built
    }

    /// Joins the manifest's layers with the config's diff_ids and history.
    static func assemble(_ resolved: ResolvedImage, reference: String, tag: String?, verify: Bool) throws -> ImageInfo {
        var config: ImageConfig
        do {
            config = try ConfigParser.parse(resolved.configBytes, what: "config \(resolved.config.digest.short)")
        } catch let error as StrataError {
            throw error.with(image: reference)
        }
        let layers = resolved.layers
        if config.diffIDs.count != layers.count && (verify || config.diffIDs.count < layers.count) {
            throw StrataError("the manifest lists \(layers.count) layers but the config's rootfs.diff_ids has \(config.diffIDs.count)",
                              image: reference)
        }
        let perLayer = HistoryAlignment.align(history: &config.history, layerCount: layers.count)
        var descriptors: [LayerDescriptor] = []
        for (i, layer) in layers.enumerated() {
            let mediaType = layer.mediaType ?? MediaType.ociManifest
            let compression = MediaType.compression(ofLayer: mediaType) ?? Decompression.compression(forMediaType: mediaType)
            descriptors.append(LayerDescriptor(index: i, digest: layer.digest,
                                               diffID: i < config.diffIDs.count ? config.diffIDs[i] : layer.digest,
                                               size: layer.size, mediaType: mediaType, compression: compression,
                                               createdBy: perLayer[i]?.createdBy, historyIndex: perLayer[i]?.index))
        }
        return ImageInfo(reference: reference, format: "registry", manifestDigest: resolved.manifestDigest,
                         configDigest: resolved.config.digest, config: config, layers: descriptors,
                         tags: tag.map { [$0] } ?? [])
    }

    public func openLayer(_ layer: LayerDescriptor) throws -> ByteStream {
        lock.lock()
        opened.append(layer.digest)
        lock.unlock()
        let blob = BlobStream(client: client, repository: imageReference.repository, digest: layer.digest,
                              expectedSize: layer.size > 0 ? layer.size : nil, verify: options.verify, image: reference)
        do {
            let (plain, compression) = try Decompression.decompress(blob, name: "layer blob \(layer.digest.short)",
                                                                    digestVerified: options.verify && layer.hasSHA256Digest)
            if compression == .none && layer.digest == layer.diffID { return plain }
            return DigestingStream(plain, expected: layer.diffID, verify: options.verify, what: "uncompressed layer (diff_id)")
        } catch let error as StrataError {
            throw error.with(image: reference, layer: layer.index, layerDigest: layer.digest)
        }
    }
}
