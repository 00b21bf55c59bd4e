import LayerIndex

/// An image described in memory, for `ImageWriter`: layers as lists of tar entries (whiteouts
/// included) and a config with env, labels and history.
public struct ImageSpec: Sendable {
    public var layers: [LayerSpec]
    public var config: ConfigSpec

    public init(layers: [LayerSpec], config: ConfigSpec = ConfigSpec()) {
        self.layers = layers
        self.config = config
    }
}

/// One layer: its tar entries (or raw tar bytes, for hostile tests), how its blob is compressed
/// in OCI outputs, and the build step that made it.
public struct LayerSpec: Sendable {
    public enum Content: Sendable {
        case entries([TarWriterEntry])
        /// Exact tar bytes (e.g. a tar with a corrupted header).
        case rawTar([UInt8])
    }

    public var content: Content
    public var compression: LayerCompression
    public var createdBy: String
    /// How long names are written (PAX or GNU records).
    public var longNames: TarWriter.LongNames
    /// A wrong diff_id to put in the config (integrity tests); nil writes the true one.
    public var diffIDOverride: Digest?

    public init(_ entries: [TarWriterEntry], compression: LayerCompression = .gzip, createdBy: String = "",
                longNames: TarWriter.LongNames = .pax, diffIDOverride: Digest? = nil) {
        self.content = .entries(entries)
        self.compression = compression
        self.createdBy = createdBy
        self.longNames = longNames
        self.diffIDOverride = diffIDOverride
    }

    public init(rawTar: [UInt8], compression: LayerCompression = .gzip, createdBy: String = "") {
        self.content = .rawTar(rawTar)
        self.compression = compression
        self.createdBy = createdBy
        self.longNames = .pax
        self.diffIDOverride = nil
    }

    /// The uncompressed tar.
    public var tar: [UInt8] {
        switch content {
        case .entries(let entries): return TarWriter.archive(entries, longNames: longNames)
        case .rawTar(let bytes): return bytes
        }
    }
}

/// A history step written into the config.
public struct HistorySpec: Sendable {
    public var createdBy: String
    public var emptyLayer: Bool
    public var comment: String?

    public init(_ createdBy: String, emptyLayer: Bool = false, comment: String? = nil) {
        self.createdBy = createdBy
        self.emptyLayer = emptyLayer
        self.comment = comment
    }
}

/// The image config to write.
public struct ConfigSpec: Sendable {
    public var os: String
    public var architecture: String
    public var variant: String?
    public var created: String
    public var env: [String]
    public var labels: [String: String]
    public var cmd: [String]?
    public var entrypoint: [String]?
    public var workingDir: String?
    public var user: String?
    /// Explicit history; nil writes one step per layer from each layer's `createdBy`.
    public var history: [HistorySpec]?

    public init(os: String = "linux", architecture: String = "amd64", variant: String? = nil,
                created: String = "1970-01-01T00:00:00Z", env: [String] = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                labels: [String: String] = [:], cmd: [String]? = ["/bin/sh"], entrypoint: [String]? = nil,
                workingDir: String? = nil, user: String? = nil, history: [HistorySpec]? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
        self.created = created
        self.env = env
        self.labels = labels
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.workingDir = workingDir
        self.user = user
        self.history = history
    }

    public var platform: OCIPlatform { OCIPlatform(os: os, architecture: architecture, variant: variant) }
}
