import LayerIndex

/// One node of a layer's file tree: a path, what the layer did to it, and counts for directories.
public struct TreeNode: Sendable {
    public var name: String
    public var path: String
    public var depth: Int
    public var isDirectory: Bool
    /// What the selected layer did here; nil for an unchanged path (merged view, implied parents).
    public var kind: ChangeKind?
    public var entry: Entry?
    /// The layer whose version is shown (merged view) or this layer (changes view).
    public var layer: Int
    /// Files at or below this node, and how many of them carry findings.
    public var fileCount: Int
    public var findingFiles: Int
    /// Matches in this file.
    public var matches: Int
    /// Preorder index one past this node's subtree.
    public var subtreeEnd: Int
    public var parent: Int?
}

/// A file tree in preorder (directories first, then names), built once per (layer, mode) and cached.
/// Visible rows are derived from it by skipping collapsed subtrees, so moving costs nothing.
public final class FileTree: @unchecked Sendable {
    public let nodes: [TreeNode]
    private let indexByPath: [String: Int]

    public struct Item {
        public var path: String
        public var kind: ChangeKind?
        public var entry: Entry
        public var layer: Int
        public init(path: String, kind: ChangeKind?, entry: Entry, layer: Int) {
            self.path = path
            self.kind = kind
            self.entry = entry
            self.layer = layer
        }
    }

    public init(items: [Item], matchCounts: [String: Int], defaultLayer: Int) {
        // Build a node table with child lists, then lay it out in preorder.
        struct Building { var name: String; var path: String; var item: Item?; var children: [Int] = []; var isDir: Bool }
        var table: [Building] = [Building(name: "", path: "", item: nil, isDir: true)]
        var byPath: [String: Int] = ["": 0]
        table.reserveCapacity(items.count + 16)
        byPath.reserveCapacity(items.count + 16)
        func node(for path: String) -> Int {
            if let i = byPath[path] { return i }
            let parent = node(for: PathNormalizer.dirname(path))
            let i = table.count
            table.append(Building(name: PathNormalizer.basename(path), path: path, item: nil, isDir: true))
            table[parent].children.append(i)
            byPath[path] = i
            return i
        }
        for item in items where !item.path.isEmpty {
            let i = node(for: item.path)
            table[i].item = item
            // Whiteouts of files are leaves; a directory entry or an opaque marker stays a directory.
            let isDir = item.entry.type == .dir || item.kind == .opaque
                || (item.entry.whiteout == .removal && !table[i].children.isEmpty)
            table[i].isDir = isDir || !table[i].children.isEmpty
        }
        var ordered: [TreeNode] = []
        ordered.reserveCapacity(table.count)
        var index: [String: Int] = [:]
        index.reserveCapacity(table.count)
        // Iterative preorder; children sorted directories first, then by name.
        func sortedChildren(_ i: Int) -> [Int] {
            table[i].children.sorted { a, b in
                let da = table[a].isDir || !table[a].children.isEmpty, db = table[b].isDir || !table[b].children.isEmpty
                if da != db { return da }
                return table[a].name < table[b].name
            }
        }
        var stack: [(node: Int, depth: Int, parent: Int?)] = sortedChildren(0).reversed().map { ($0, 0, nil) }
        while let (n, depth, parent) = stack.popLast() {
            let b = table[n]
            let isDir = b.isDir || !b.children.isEmpty
            let matches = b.item == nil || isDir ? 0 : (matchCounts[b.path] ?? 0)
            let position = ordered.count
            ordered.append(TreeNode(name: b.name, path: b.path, depth: depth, isDirectory: isDir, kind: b.item?.kind,
                                    entry: b.item?.entry, layer: b.item?.layer ?? defaultLayer,
                                    fileCount: isDir ? 0 : 1, findingFiles: matches > 0 ? 1 : 0, matches: matches,
                                    subtreeEnd: position + 1, parent: parent))
            index[b.path] = position
            for child in sortedChildren(n).reversed() { stack.append((child, depth + 1, position)) }
        }
        // Subtree ends and counts, children before parents (reverse preorder).
        for i in stride(from: ordered.count - 1, through: 0, by: -1) {
            guard let p = ordered[i].parent else { continue }
            ordered[p].subtreeEnd = max(ordered[p].subtreeEnd, ordered[i].subtreeEnd)
            ordered[p].fileCount += ordered[i].fileCount
            ordered[p].findingFiles += ordered[i].findingFiles
        }
        nodes = ordered
        indexByPath = index
    }

    public var count: Int { nodes.count }

    public func index(of path: String) -> Int? { indexByPath[path] }

    /// Node indices shown, skipping collapsed subtrees, keeping only nodes that pass `include`
    /// (a directory is kept when anything below it is).
    public func visibleRows(collapsed: Set<String>, filter: String, onlyFindings: Bool) -> [Int] {
        let filtering = !filter.isEmpty || onlyFindings
        var keep: [Bool] = []
        if filtering {
            keep = Array(repeating: false, count: nodes.count)
            let needle = filter.lowercased()
            for i in nodes.indices where !nodes[i].isDirectory || !needle.isEmpty {
                let n = nodes[i]
                var ok = true
                if onlyFindings { ok = n.matches > 0 }
                if ok, !needle.isEmpty { ok = n.path.lowercased().contains(needle) }
                if ok {
                    keep[i] = true
                    var p = n.parent
                    while let pi = p, !keep[pi] { keep[pi] = true; p = nodes[pi].parent }
                }
            }
        }
        var rows: [Int] = []
        var i = 0
        while i < nodes.count {
            if filtering && !keep[i] { i = nodes[i].subtreeEnd; continue }
            rows.append(i)
            if nodes[i].isDirectory && collapsed.contains(nodes[i].path) { i = nodes[i].subtreeEnd } else { i += 1 }
        }
        return rows
    }
}
