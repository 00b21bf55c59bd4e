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

/// A source whose layer blobs are byte ranges of local files (docker-archive, OCI layout and
/// archive, skopeo `dir:`), so a reader can seek inside a blob instead of streaming it from the
/// start: the explorer opens one file of a large layer this way.
public protocol LayerBlobFiles: ImageSource {
    /// The layer's blob as stored (compressed or not), unverified; nil when it is not a local file.
    func layerBlobFile(_ layer: LayerDescriptor) throws -> FileByteStream?
}

/// Options shared by every source.
public struct SourceOptions: Sendable, Hashable {
    /// `os/arch[/variant]`; nil means the host's platform.
    public var platform: String?
    /// Check blob digests and diff_ids.
    public var verify: Bool
    /// Remote sources: allow plain HTTP to any host and skip TLS verification (`--insecure`).
    public var insecure: Bool
    /// Remote sources: credentials from the command line (`--username`, `--password-stdin`).
    public var credentials: SourceCredentials?

    public init(platform: String? = nil, verify: Bool = true, insecure: Bool = false, credentials: SourceCredentials? = nil) {
        self.platform = platform
        self.verify = verify
        self.insecure = insecure
        self.credentials = credentials
    }
}

/// A user name and password for a remote source. Never printed: its description hides the password.
public struct SourceCredentials: Sendable, Hashable, CustomStringConvertible {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    public var description: String { "\(username):<redacted>" }
}
