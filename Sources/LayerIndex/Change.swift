/// What a layer did to a path, compared with the layers below it.
public enum ChangeKind: String, Codable, Sendable, CaseIterable {
    case added, modified, removed, opaque
}

/// One change of one layer. For `removed` and `opaque`, `entry` is the whiteout entry and
/// `previous` what the lower layers had at that path (nil when nothing was there).
public struct Change: Codable, Sendable, Hashable {
    public var path: String
    public var kind: ChangeKind
    public var entry: Entry
    public var previous: Entry?
    /// For `removed`/`opaque`: how many lower-layer paths this whiteout hid.
    public var hiddenCount: Int

    public init(path: String, kind: ChangeKind, entry: Entry, previous: Entry? = nil, hiddenCount: Int = 0) {
        self.path = path
        self.kind = kind
        self.entry = entry
        self.previous = previous
        self.hiddenCount = hiddenCount
    }
}

/// Per-layer counts for summaries (`strata layers`, the explorer's details pane).
public struct ChangeCounts: Codable, Sendable, Hashable {
    public var entries = 0
    public var added = 0
    public var modified = 0
    public var removed = 0
    public var opaque = 0
    /// Bytes of this layer's files that the final image no longer shows (removed or overwritten).
    public var historyOnlyBytes: Int64 = 0

    public init() {}
}

/// How content written by one layer ended up in the final image.
public enum Fate: Codable, Sendable, Hashable {
    /// Still visible in the final filesystem.
    case present
    /// Hidden by a whiteout in a later layer.
    case removed(layer: Int, how: RemovalKind)
    /// Replaced by different content in a later layer.
    case overwritten(layer: Int)

    public var isPresent: Bool { if case .present = self { return true } else { return false } }

    /// The layer that removed or replaced the content.
    public var layer: Int? {
        switch self {
        case .present: return nil
        case .removed(let layer, _), .overwritten(let layer): return layer
        }
    }
}

/// Which whiteout mechanism removed a path.
public enum RemovalKind: String, Codable, Sendable, Hashable {
    /// `.wh.NAME` for the path itself.
    case whiteout
    /// `.wh.DIR` for a parent directory.
    case parentWhiteout
    /// `.wh..wh..opq` in a parent directory.
    case opaque
    /// A parent directory replaced by a non-directory.
    case parentReplaced
}

/// Content that lives only in history: present in `layer`, gone from the final image.
public struct HistoryOnlyEntry: Codable, Sendable, Hashable {
    public var path: String
    public var layer: Int
    public var entry: Entry
    public var fate: Fate

    public init(path: String, layer: Int, entry: Entry, fate: Fate) {
        self.path = path
        self.layer = layer
        self.entry = entry
        self.fate = fate
    }

    public var removedInLayer: Int { fate.layer ?? layer }
    /// `removed` or `overwritten`.
    public var reason: String {
        if case .overwritten = fate { return "overwritten" }
        return "removed"
    }
}

/// A path in the merged filesystem and the layer whose version is visible.
public struct MergedEntry: Codable, Sendable, Hashable {
    public var entry: Entry
    public var layer: Int

    public init(entry: Entry, layer: Int) {
        self.entry = entry
        self.layer = layer
    }
}

/// One layer's action on one path, for a path's lineage across the stack.
public struct LineageStep: Codable, Sendable, Hashable {
    public var layer: Int
    public var kind: ChangeKind
    public var entry: Entry

    public init(layer: Int, kind: ChangeKind, entry: Entry) {
        self.layer = layer
        self.kind = kind
        self.entry = entry
    }
}
