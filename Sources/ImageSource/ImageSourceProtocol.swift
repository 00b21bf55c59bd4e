import LayerIndex

/// Where an image comes from: a docker-archive, an OCI layout or archive, a registry, the demo.
/// `loadInfo` reads only the manifest and config (fast: the explorer's first frame);
/// layers are opened one at a time, possibly from several threads at once.
public protocol ImageSource: AnyObject, Sendable {
    /// The reference as the user gave it.
    var reference: String { get }
    /// Manifest, config and layer descriptors, history aligned.
    func loadInfo() throws -> ImageInfo
    /// The layer's uncompressed tar stream. The blob digest and the diff_id are checked while
    /// the stream is read; a mismatch throws at the end (unless verification is off).
    func openLayer(_ layer: LayerDescriptor) throws -> ByteStream
}

/// Options shared by every source.
public struct SourceOptions: Sendable, Hashable {
    /// `os/arch[/variant]`; nil means the host's platform.
    public var platform: String?
    /// Check blob digests and diff_ids.
    public var verify: Bool

    public init(platform: String? = nil, verify: Bool = true) {
        self.platform = platform
        self.verify = verify
    }
}
