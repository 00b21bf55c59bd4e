/// What kind of filesystem object a tar entry describes.
public enum EntryType: String, Codable, Sendable, CaseIterable {
    case file, dir, symlink, hardlink, other
}

/// A whiteout marker in a layer: `.wh.NAME` removes NAME (and everything under it);
/// `.wh..wh..opq` makes its directory opaque (hides everything below it from lower layers).
public enum Whiteout: String, Codable, Sendable {
    case removal
    case opaque
}

/// One entry of one layer, as its tar stream described it.
///
/// For a whiteout, `path` is the path it removes (`home/node/.npmrc` for
/// `home/node/.wh..npmrc`) or the directory it makes opaque, and `type` is `.other`.
public struct Entry: Hashable, Codable, Sendable {
    /// Normalised path: no leading `/` or `./`, no `.`/`..` components, no trailing `/`.
    public var path: String
    public var type: EntryType
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    public var size: Int64
    public var linkTarget: String?
    /// Lowercase hex sha256 of the content, for regular files.
    public var sha256: String?
    public var modified: Int64?
    public var whiteout: Whiteout?
    /// Device major/minor for character and block devices (type `.other`).
    public var deviceKind: String?

    public init(path: String, type: EntryType, mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0,
                size: Int64 = 0, linkTarget: String? = nil, sha256: String? = nil,
                modified: Int64? = nil, whiteout: Whiteout? = nil, deviceKind: String? = nil) {
        self.path = path
        self.type = type
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
        self.linkTarget = linkTarget
        self.sha256 = sha256
        self.modified = modified
        self.whiteout = whiteout
        self.deviceKind = deviceKind
    }

    /// True when another entry at the same path differs in content or metadata
    /// (modification time is ignored: rebuilds touch it without changing anything).
    public func differs(from other: Entry) -> Bool {
        type != other.type || mode != other.mode || uid != other.uid || gid != other.gid
            || size != other.size || linkTarget != other.linkTarget || sha256 != other.sha256
    }

    /// True when only content differs (not just metadata such as mode or owner).
    public func contentDiffers(from other: Entry) -> Bool {
        type != other.type || size != other.size || linkTarget != other.linkTarget || sha256 != other.sha256
    }
}
