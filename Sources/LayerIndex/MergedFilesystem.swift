/// A mutable union filesystem: applies layers one after the other, whiteouts included.
/// Keeps a parent → children index so removing a directory's subtree costs only its size.
public struct MergedFilesystem: Sendable {
    public private(set) var entries: [String: MergedEntry] = [:]
    private var children: [String: Set<String>] = [:]

    public init() {}

    public subscript(path: String) -> MergedEntry? { entries[path] }

    public var count: Int { entries.count }

    /// Makes room for `capacity` entries up front (stacking knows the total entry count).
    public mutating func reserveCapacity(_ capacity: Int) {
        entries.reserveCapacity(capacity)
        children.reserveCapacity(capacity / 4)
    }

    /// All paths below `directory` (not the directory itself), depth first.
    public func descendants(of directory: String) -> [String] {
        var out: [String] = []
        var stack = Array(children[directory] ?? [])
        while let path = stack.popLast() {
            out.append(path)
            if let below = children[path] { stack.append(contentsOf: below) }
        }
        return out
    }

    /// Removes `path` and everything below it; returns what was removed.
    @discardableResult
    public mutating func removeSubtree(_ path: String) -> [MergedEntry] {
        var removed: [MergedEntry] = []
        for child in descendants(of: path) {
            if let e = entries.removeValue(forKey: child) { removed.append(e) }
            children.removeValue(forKey: child)
        }
        children.removeValue(forKey: path)
        if let e = entries.removeValue(forKey: path) { removed.append(e) }
        unlink(path)
        return removed
    }

    /// Removes everything below `directory` but keeps the directory (opaque whiteout).
    @discardableResult
    public mutating func removeChildren(of directory: String) -> [MergedEntry] {
        var removed: [MergedEntry] = []
        for child in descendants(of: directory) {
            if let e = entries.removeValue(forKey: child) { removed.append(e) }
            children.removeValue(forKey: child)
        }
        children[directory] = nil
        return removed
    }

    /// Puts an entry at its path. A non-directory replacing a directory drops its subtree.
    public mutating func insert(_ entry: Entry, layer: Int) {
        if entry.type != .dir, let old = entries[entry.path], old.entry.type == .dir {
            removeChildren(of: entry.path)
        }
        entries[entry.path] = MergedEntry(entry: entry, layer: layer)
        var path = entry.path
        while true {
            let parent = PathNormalizer.dirname(path)
            let (inserted, _) = children[parent, default: []].insert(path)
            if !inserted || parent.isEmpty { break }
            path = parent
        }
    }

    private mutating func unlink(_ path: String) {
        let parent = PathNormalizer.dirname(path)
        children[parent]?.remove(path)
    }

    /// Entries sorted by path.
    public func sorted() -> [MergedEntry] {
        entries.values.sorted { $0.entry.path < $1.entry.path }
    }
}
