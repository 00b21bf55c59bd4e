/// How a layer blob is stored.
public enum LayerCompression: String, Codable, Sendable {
    case none, gzip, zstd
}

/// One layer as the manifest and config describe it, before its content is read.
public struct LayerDescriptor: Codable, Sendable, Hashable {
    /// 0-based, manifest order; the base layer is 0.
    public var index: Int
    /// Digest of the blob as stored (compressed for OCI, equal to `diffID` for uncompressed tars).
    public var digest: Digest
    /// sha256 of the uncompressed tar (`rootfs.diff_ids[index]`).
    public var diffID: Digest
    /// Size of the blob as stored, in bytes.
    public var size: Int64
    public var mediaType: String
    public var compression: LayerCompression
    /// The history step that made this layer (its `created_by`), when the config aligns.
    public var createdBy: String?
    public var historyIndex: Int?

    /// True when reading this layer with verification on checks a SHA-256 (of the blob or of
    /// the uncompressed tar), so weaker checks on the way (gzip's CRC-32) add nothing.
    public var hasSHA256Digest: Bool { digest.algorithm == "sha256" || diffID.algorithm == "sha256" }

    public init(index: Int, digest: Digest, diffID: Digest, size: Int64, mediaType: String,
                compression: LayerCompression, createdBy: String? = nil, historyIndex: Int? = nil) {
        self.index = index
        self.digest = digest
        self.diffID = diffID
        self.size = size
        self.mediaType = mediaType
        self.compression = compression
        self.createdBy = createdBy
        self.historyIndex = historyIndex
    }
}

/// What is known about an image once its manifest and config are read: enough for the first
/// frame of the explorer, before any layer is decompressed.
public struct ImageInfo: Codable, Sendable, Hashable {
    /// The reference as the user gave it (sanitise before printing).
    public var reference: String
    /// `docker-archive`, `oci`, `oci-archive`, `dir`, `registry`, `demo`.
    public var format: String
    public var manifestDigest: Digest?
    public var configDigest: Digest
    public var config: ImageConfig
    public var layers: [LayerDescriptor]
    /// Tags or ref names found for this image.
    public var tags: [String]

    public init(reference: String, format: String, manifestDigest: Digest?, configDigest: Digest,
                config: ImageConfig, layers: [LayerDescriptor], tags: [String] = []) {
        self.reference = reference
        self.format = format
        self.manifestDigest = manifestDigest
        self.configDigest = configDigest
        self.config = config
        self.layers = layers
        self.tags = tags
    }

    public var platform: String { config.platform }
}

/// Everything one layer's tar stream held, in stream order (whiteouts included).
public struct LayerContents: Codable, Sendable, Hashable {
    public var layer: LayerDescriptor
    public var entries: [Entry]
    /// Problems met while reading (hostile names, truncation); the entries before them are kept.
    public var problems: [String]

    public init(layer: LayerDescriptor, entries: [Entry], problems: [String] = []) {
        self.layer = layer
        self.entries = entries
        self.problems = problems
    }
}
