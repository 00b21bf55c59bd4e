import Detection
import LayerIndex
import Scanner
import Foundation
import TermGrid

/// A file open in the viewer: which layer's version, its bytes, and where the user is in it.
public struct ViewerState: Sendable {
    /// The layer whose version is shown (for a removed path: the last layer that had it).
    public var layer: Int
    public var path: String
    public var content: FileContent?
    public var error: String?
    public var matches: [Match] = []
    public var lineStarts: [Int] = [0]
    public var top = 0
    public var hscroll = 0
    public var hex = false
    /// The line the viewer was asked to show (1-based), highlighted.
    public var targetLine: Int?

    public var lineCount: Int { hex ? ((content?.bytes.count ?? 0) + 15) / 16 : lineStarts.count }
}

/// A line at the bottom asking for text: the path filter, or where to extract a file.
public struct Prompt: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case filter, extract(layer: Int, path: String) }
    public var kind: Kind
    public var text: String
    /// What the text was when the prompt opened (Esc restores it).
    public var original: String = ""
    public var label: String {
        switch kind {
        case .filter: return "Filter paths: "
        case .extract(let layer, let path): return "Extract \(path) from layer \(layer) to: "
        }
    }
}

/// Work the event loop does on the explorer's behalf (the reducer stays pure and fast).
public enum Effect: Sendable, Equatable {
    case loadFile(layer: Int, path: String)
    case extract(layer: Int, path: String, destination: String)
    case quit
}

/// One row of the findings pane: a secret's header, or one place it occurs.
public enum FindingRow: Sendable {
    case secret(fingerprint: String, finding: Finding, count: Int)
    case occurrence(Finding)
}

/// Everything the explorer shows: what the scanner reported and where the user is.
/// Panes draw from it; keys and scanner events change it.
public struct ExplorerState: Sendable {
    public var scan = ScanModel()
    public var width: Int
    public var height: Int
    public var boxStyle: BoxStyle = .unicode

    public var focus: Pane = .layers
    /// What the right column shows: files, the viewer or the findings.
    public var right: Pane = .files
    public var selectedLayer = 0
    public var layerTop = 0
    public var merged = false
    public var collapsed: Set<String> = []
    public var filter = ""
    public var onlyFindings = false
    public var fileCursor = 0
    public var fileTop = 0
    public var viewer: ViewerState?
    public var findingsCursor = 0
    public var findingsTop = 0
    public var revealed = false
    public var showHelp = false
    public var helpTop = 0
    public var prompt: Prompt?
    public var message: (text: String, isError: Bool)?
    public var quitRequested = false
    /// Set by the event loop: file trees are built off the loop thread, never inside a keypress.
    public var backgroundTrees = false
    public let keymap: Keymap
    let cache: ExplorerCache

    public init(width: Int = 80, height: Int = 24, keymap: Keymap = .standard) {
        self.width = width
        self.height = height
        self.keymap = keymap
        self.cache = ExplorerCache()
    }

    public var layout: Layout { Layout(width: width, height: height, narrowLeft: right == .viewer && viewer != nil) }

    // MARK: Derived views (cached)

    /// The stack to classify changes with: the final one, or one built from the layers
    /// finished so far when every layer below `layer` is done.
    /// How many layers from the base up are read (a partial stack covers them).
    var contiguousLayersDone: Int {
        var count = 0
        while count < scan.layerCount, scan.results[count] != nil { count += 1 }
        return count
    }

    /// The stack without building one on the loop thread (the background tree build makes it).
    func stackIfReady(covering layer: Int) -> LayerStack? {
        if let report = scan.report { return report.stack }
        if !backgroundTrees { return stack(covering: layer) }
        let count = contiguousLayersDone
        guard count > layer else { return nil }
        return cache.peekPartialStack(count: count)
    }

    func stack(covering layer: Int) -> LayerStack? {
        if let report = scan.report { return report.stack }
        let count = contiguousLayersDone
        guard count > layer else { return nil }
        return cache.partialStack(count: count, generation: 0) {
            LayerStack(layers: (0..<count).map { scan.results[$0]!.contents })
        }
    }

    /// The file tree of the selected layer in the current mode; nil until the layer is read.
    public func tree(layer: Int? = nil) -> FileTree? {
        let li = layer ?? selectedLayer
        guard let key = treeKey(layer: li, merged: merged) else { return nil }
        if let t = cache.cachedTree(key) { return t }
        if backgroundTrees && treeSize(layer: li, merged: merged) > Self.syncTreeLimit {
            // A big tree: the loop builds it off its thread and wakes up when it is ready.
            // Small ones are built at once (a few ms), so keys typed ahead act on them.
            cache.request(key)
            return nil
        }
        let t = buildTree(layer: li, merged: merged)
        cache.store(key, t)
        return t
    }

    /// Trees up to this many entries are built inside a keypress (well under 50 ms).
    static let syncTreeLimit = 5_000

    /// Entries a tree will hold (for merged: every layer up to this one, an upper bound).
    func treeSize(layer li: Int, merged m: Bool) -> Int {
        let range = m ? 0...li : li...li
        return range.reduce(0) { $0 + (scan.results[$1]?.contents.entries.count ?? 0) }
    }

    /// The cache key of a layer's tree in a mode; nil until the layer is read.
    func treeKey(layer li: Int, merged m: Bool) -> TreeKey? {
        guard li >= 0, scan.results[li] != nil else { return nil }
        // A layer's change set depends on layers 0...li only: other layers finishing must not
        // throw away a 100 000-entry tree. The phase says how it was classified.
        let phase = scan.isComplete ? 2 : (contiguousLayersDone > li ? 1 : 0)
        return TreeKey(layer: li, merged: m, phase: phase)
    }

    /// True while the selected layer's tree is being built in the background.
    public var treePending: Bool {
        guard backgroundTrees, let key = treeKey(layer: selectedLayer, merged: merged) else { return false }
        return cache.cachedTree(key) == nil
    }

    func buildTree(layer li: Int, merged: Bool) -> FileTree {
        var items: [FileTree.Item] = []
        let counts = scan.matchCounts(layer: li)
        if let stack = stack(covering: li) {
            // Off the loop thread when trees build in the background: the layers pane's counts
            // are then ready when it draws.
            stack.prepareSummaries()
            let changes = stack.changes[li]
            if merged {
                let fs = stack.mergedFilesystem(asOf: li)
                var kinds: [String: ChangeKind] = [:]
                for c in changes { kinds[c.path] = c.kind }
                items.reserveCapacity(fs.count + changes.count)
                for (path, m) in fs.entries {
                    items.append(FileTree.Item(path: path, kind: m.layer == li ? kinds[path] : nil, entry: m.entry, layer: m.layer))
                }
                for c in changes where c.kind == .removed && fs[c.path] == nil {
                    items.append(FileTree.Item(path: c.path, kind: .removed, entry: c.previous ?? c.entry, layer: li))
                }
                // A file's matches are those of the layer whose version is visible.
                var perLayer: [Int: [String: Int]] = [:]
                for l in 0...li { perLayer[l] = scan.matchCounts(layer: l) }
                var visible: [String: Int] = [:]
                for (path, m) in fs.entries { if let n = perLayer[m.layer]?[path] { visible[path] = n } }
                return FileTree(items: items, matchCounts: visible, defaultLayer: li)
            }
            items = changes.map { c in
                let shown = (c.kind == .removed) ? (c.previous ?? c.entry) : c.entry
                return FileTree.Item(path: c.path, kind: c.kind, entry: shown, layer: li)
            }
        } else if let contents = scan.results[li]?.contents {
            items = contents.entries.map { e in
                let kind: ChangeKind = e.whiteout == .removal ? .removed : e.whiteout == .opaque ? .opaque : .added
                return FileTree.Item(path: e.path, kind: kind, entry: e, layer: li)
            }
        }
        return FileTree(items: items, matchCounts: counts, defaultLayer: li)
    }

    /// Rows shown in the files pane (node indices into `tree()`).
    public func visibleRows() -> [Int] {
        guard let tree = tree() else { return [] }
        let key = RowsKey(tree: ObjectIdentifier(tree), collapsed: collapsed, filter: filter, onlyFindings: onlyFindings)
        return cache.rows(key) { tree.visibleRows(collapsed: collapsed, filter: filter, onlyFindings: onlyFindings) }
    }

    public var selectedNode: TreeNode? {
        guard let tree = tree() else { return nil }
        let rows = visibleRows()
        guard rows.indices.contains(fileCursor) else { return nil }
        return tree.nodes[rows[fileCursor]]
    }

    /// The findings pane's rows: each secret (by fingerprint), then where it occurs.
    public func findingRows() -> [FindingRow] {
        let all = scan.findings
        return cache.findingRows(generation: scan.generation, count: all.count, configDone: scan.configDone) {
            var order: [String] = []
            var groups: [String: [Finding]] = [:]
            for f in all {
                if groups[f.fingerprint] == nil { order.append(f.fingerprint) }
                groups[f.fingerprint, default: []].append(f)
            }
            // Secrets still in the final image first, then by severity.
            func rank(_ fs: [Finding]) -> (Int, Int) {
                let live = fs.contains { $0.status == .present || $0.status == .config } ? 0 : 1
                let sev = -(Severity.allCases.firstIndex(of: fs.map(\.severity).max() ?? .info) ?? 0)
                return (live, sev)
            }
            let sorted = order.enumerated().sorted { a, b in
                let ra = rank(groups[a.element]!), rb = rank(groups[b.element]!)
                return ra != rb ? ra < rb : a.offset < b.offset
            }.map(\.element)
            var rows: [FindingRow] = []
            for fp in sorted {
                let fs = groups[fp]!.sorted { ($0.location.layer ?? -1, $0.location.path ?? "") < ($1.location.layer ?? -1, $1.location.path ?? "") }
                rows.append(.secret(fingerprint: fp, finding: fs[0], count: fs.count))
                for f in fs { rows.append(.occurrence(f)) }
            }
            return rows
        }
    }

    /// Findings in jump order for `n`/`N`: by layer, path, line.
    public func findingsInOrder() -> [Finding] {
        findingRows().compactMap { if case .occurrence(let f) = $0 { return f } else { return nil } }
    }
}

struct TreeKey: Hashable { var layer: Int; var merged: Bool; var phase: Int }
struct RowsKey: Hashable { var tree: ObjectIdentifier; var collapsed: Set<String>; var filter: String; var onlyFindings: Bool }

/// Lazily built trees, rows and finding groups. Only the event-loop thread touches it.
final class ExplorerCache: @unchecked Sendable {
    private let lock = NSLock()
    private var trees: [TreeKey: FileTree] = [:]
    private var requested: [TreeKey] = []
    private var building: Set<TreeKey> = []
    private var lastRowsKey: RowsKey?
    private var lastRows: [Int] = []
    private var stackKey: (Int, Int)?
    private var stack: LayerStack?
    private var findingKey: (Int, Int, Bool)?
    private var findingRowsValue: [FindingRow] = []
    var redactorKey: (Int, Int)?
    var redactorValue: TextRedactor?

    func cachedTree(_ key: TreeKey) -> FileTree? {
        lock.lock()
        defer { lock.unlock() }
        return trees[key]
    }

    func store(_ key: TreeKey, _ tree: FileTree) {
        lock.lock()
        defer { lock.unlock() }
        // Trees of 100 000 entries are large: keep the recent ones only.
        if trees.count >= 16 { trees.removeAll() }
        trees[key] = tree
        building.remove(key)
    }

    /// Asks the loop to build a tree in the background.
    func request(_ key: TreeKey) {
        lock.lock()
        defer { lock.unlock() }
        // A newer phase of the same tree supersedes an older request.
        requested.removeAll { $0.layer == key.layer && $0.merged == key.merged }
        requested.append(key)
    }

    /// Requested keys not yet built or building; marks them building.
    func startBuilds(_ extra: [TreeKey]) -> [TreeKey] {
        lock.lock()
        defer { lock.unlock() }
        var out: [TreeKey] = []
        for key in requested + extra where trees[key] == nil && !building.contains(key) && !out.contains(key) {
            building.insert(key)
            out.append(key)
        }
        requested.removeAll()
        return out
    }

    func rows(_ key: RowsKey, build: () -> [Int]) -> [Int] {
        if key == lastRowsKey { return lastRows }
        lastRows = build()
        lastRowsKey = key
        return lastRows
    }

    func peekPartialStack(count: Int) -> LayerStack? {
        lock.lock()
        defer { lock.unlock() }
        if let stack, let key = stackKey, key.0 == count { return stack }
        return nil
    }

    func partialStack(count: Int, generation: Int, build: () -> LayerStack) -> LayerStack {
        lock.lock()
        if let stack, let key = stackKey, key == (count, generation) { lock.unlock(); return stack }
        lock.unlock()
        let s = build()
        lock.lock()
        stack = s
        stackKey = (count, generation)
        lock.unlock()
        return s
    }

    func findingRows(generation: Int, count: Int, configDone: Bool, build: () -> [FindingRow]) -> [FindingRow] {
        if let key = findingKey, key == (generation, count, configDone) { return findingRowsValue }
        findingRowsValue = build()
        findingKey = (generation, count, configDone)
        return findingRowsValue
    }
}

extension ExplorerState {
    /// Text from the image (build steps, config values) with every known secret masked
    /// (`TextRedactor`, the same masking `strata layers` uses), unless the user revealed secrets.
    public func redact(_ text: String) -> String {
        if revealed { return text }
        return cache.redactor(generation: scan.generation, count: scan.findings.count) { TextRedactor(findings: scan.findings) }
            .redact(text)
    }
}

extension ExplorerCache {
    func redactor(generation: Int, count: Int, build: () -> TextRedactor) -> TextRedactor {
        if let key = redactorKey, key == (generation, count), let r = redactorValue { return r }
        let r = build()
        redactorValue = r
        redactorKey = (generation, count)
        return r
    }
}
