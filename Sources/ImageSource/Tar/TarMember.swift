/// One member of a tar stream, with PAX and GNU long-name records already applied.
public struct TarMember: Sendable, Hashable {
    /// What a member is, from its type flag.
    public enum Kind: Sendable, Hashable {
        case regular, hardlink, symlink, characterDevice, blockDevice, directory, fifo
        /// Any other type flag (GNU sparse, volume labels, …): content skipped.
        case other(UInt8)
    }

    /// The member name as stored (PAX `path` or GNU long name when present). Invalid UTF-8
    /// bytes are escaped as `\xNN` and `nameWasInvalidUTF8` is set.
    public var name: String
    /// Link target (PAX `linkpath` or GNU long link when present).
    public var linkName: String
    public var typeFlag: UInt8
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    /// Content size in bytes (0 for header-only types).
    public var size: Int64
    public var mtime: Int64
    public var devMajor: Int
    public var devMinor: Int
    public var userName: String
    public var groupName: String
    /// Offset of the (first) header of this member in the uncompressed stream.
    public var headerOffset: Int64
    /// Offset of the member's content in the uncompressed stream.
    public var contentOffset: Int64
    public var nameWasInvalidUTF8: Bool

    public var kind: Kind {
        switch typeFlag {
        case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): return .regular
        case UInt8(ascii: "1"): return .hardlink
        case UInt8(ascii: "2"): return .symlink
        case UInt8(ascii: "3"): return .characterDevice
        case UInt8(ascii: "4"): return .blockDevice
        case UInt8(ascii: "5"): return .directory
        case UInt8(ascii: "6"): return .fifo
        default: return .other(typeFlag)
        }
    }
}
