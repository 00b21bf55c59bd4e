import Foundation

/// The layers of one image stacked in order: each layer's change set, the merged filesystem
/// as of any layer, the lineage of a path, and what lives only in history.
public struct LayerStack: Sendable {
    public let layers: [LayerContents]
    /// `changes[i]`: what layer i did, compared with layers 0..<i, sorted by path.
    /// Computed on first read (with `counts`) and kept: a scan needs only fates, which come
    /// from the per-path occurrence index built at init, so it never pays for the merged view.
    public var changes: [[Change]] { stacked.changes }
    /// Per-layer counts. `historyOnlyBytes` needs every file's fate, so it is computed on the
    /// first read of `counts` (or of `historyOnly()`) and kept.
    public var counts: [ChangeCounts] {
        var result = stacked.counts
        for (li, bytes) in history.bytesPerLayer.enumerated() where li < result.count { result[li].historyOnlyBytes = bytes }
        return result
    }
    /// path → (layer, index into that layer's entries), in layer order.
    private let occurrences: [String: [(layer: Int, entry: Int)]]
    private let removals: [Set<String>]
    private let opaqueDirs: [Set<String>]
    private let stackCache = LazyValue<Stacked>()
    private let historyCache = LazyValue<History>()

    public init(layers: [LayerContents]) {
        self.layers = layers
        var occurrences: [String: [(layer: Int, entry: Int)]] = [:]
        occurrences.reserveCapacity(layers.reduce(0) { $0 + $1.entries.count })
        var removals: [Set<String>] = []
        var opaqueDirs: [Set<String>] = []
        for (li, layer) in layers.enumerated() {
            var removed = Set<String>()
            var opaque = Set<String>()
            for (ei, entry) in layer.entries.enumerated() {
                switch entry.whiteout {
                case .removal?: removed.insert(entry.path)
                case .opaque?: opaque.insert(entry.path)
                case nil: occurrences[entry.path, default: []].append((li, ei))
                }
            }
            removals.append(removed)
            opaqueDirs.append(opaque)
        }
        self.occurrences = occurrences
        self.removals = removals
        self.opaqueDirs = opaqueDirs
    }

    /// Computes the change sets, counts and history-only list now (each once per stack), so a
    /// caller on a background thread can spare an interactive thread the first-read cost.
    public func prepareSummaries() {
        _ = stacked
        _ = history
    }

    private struct Stacked {
        var changes: [[Change]]
        var counts: [ChangeCounts]
    }

    private struct History {
        var entries: [HistoryOnlyEntry]
        var bytesPerLayer: [Int64]
    }

    private var stacked: Stacked {
        stackCache.value { LayerStack.stackChanges(layers) }
    }

    private var history: History {
        historyCache.value {
            let entries = LayerStack.computeHistoryOnly(layers: layers, occurrences: occurrences, removals: removals, opaqueDirs: opaqueDirs)
            var bytes = [Int64](repeating: 0, count: layers.count)
            for item in entries { bytes[item.layer] += item.entry.size }
            return History(entries: entries, bytesPerLayer: bytes)
        }
    }

    /// Every layer's change set and counts, applying the layers to one merged view in place.
    private static func stackChanges(_ layers: [LayerContents]) -> Stacked {
        var merged = MergedFilesystem()
        merged.reserveCapacity(layers.reduce(0) { $0 + $1.entries.count })
        var allChanges: [[Change]] = []
        var allCounts: [ChangeCounts] = []
        allChanges.reserveCapacity(layers.count)
        allCounts.reserveCapacity(layers.count)
        for (li, layer) in layers.enumerated() {
            let layerChanges = LayerStack.apply(layer, index: li, to: &merged)
            var counts = ChangeCounts()
            counts.entries = layer.entries.count
            for change in layerChanges {
                switch change.kind {
                case .added: counts.added += 1
                case .modified: counts.modified += 1
                case .removed: counts.removed += 1
                case .opaque: counts.opaque += 1
                }
            }
            allChanges.append(layerChanges)
            allCounts.append(counts)
        }
        return Stacked(changes: allChanges, counts: allCounts)
    }

    /// Applies one layer on top of `merged`: whiteouts first (they act on lower layers only),
    /// then the layer's own entries, updating `merged` in place. Returns the layer's change set.
    static func apply(_ layer: LayerContents, index li: Int, to merged: inout MergedFilesystem) -> [Change] {
        var result: [Change] = []
        result.reserveCapacity(layer.entries.count)
        var hiddenByThisLayer: [String: Entry] = [:]
        for entry in layer.entries {
            switch entry.whiteout {
            case .removal?:
                let previous = merged[entry.path]?.entry
                let gone = merged.removeSubtree(entry.path)
                for g in gone { hiddenByThisLayer[g.entry.path] = g.entry }
                result.append(Change(path: entry.path, kind: .removed, entry: entry, previous: previous, hiddenCount: gone.count))
            case .opaque?:
                let previous = merged[entry.path]?.entry
                let gone = merged.removeChildren(of: entry.path)
                for g in gone { hiddenByThisLayer[g.entry.path] = g.entry }
                result.append(Change(path: entry.path, kind: .opaque, entry: entry, previous: previous, hiddenCount: gone.count))
            case nil:
                continue
            }
        }
        for entry in layer.entries where entry.whiteout == nil {
            if let old = merged[entry.path]?.entry ?? hiddenByThisLayer[entry.path] {
                if entry.differs(from: old) {
                    result.append(Change(path: entry.path, kind: .modified, entry: entry, previous: old))
                }
            } else {
                result.append(Change(path: entry.path, kind: .added, entry: entry))
            }
            merged.insert(entry, layer: li)
        }
        result.sort { $0.path < $1.path }
        return result
    }

    /// The merged filesystem as of `layer` (inclusive), sorted by path.
    public func merged(asOf layer: Int) -> [MergedEntry] {
        mergedFilesystem(asOf: layer).sorted()
    }

    public func mergedFilesystem(asOf layer: Int) -> MergedFilesystem {
        var merged = MergedFilesystem()
        let last = min(layer, layers.count - 1)
        guard last >= 0 else { return merged }
        for li in 0...last {
            _ = LayerStack.apply(layers[li], index: li, to: &merged)
        }
        return merged
    }

    /// Every layer's action on `path`, in layer order (whiteouts of the path or of a parent included).
    public func lineage(of path: String) -> [LineageStep] {
        var steps: [LineageStep] = []
        for (li, layerChanges) in changes.enumerated() {
            for change in layerChanges where change.path == path
                || ((change.kind == .removed || change.kind == .opaque) && PathNormalizer.isWithin(path, change.path) && change.path != path) {
                steps.append(LineageStep(layer: li, kind: change.kind, entry: change.entry))
            }
        }
        return steps
    }

    /// What became of the content `layer` wrote at `path`, looking at the layers above it.
    public func fate(of path: String, inLayer layer: Int) -> Fate {
        LayerStack.fate(path: path, layer: layer, layers: layers, occurrences: occurrences, removals: removals, opaqueDirs: opaqueDirs)
    }

    /// `nonDirectories` (from `nonDirectoryLayers`) replaces the per-layer ancestor walk with one
    /// lookup per ancestor when many fates are computed at once.
    static func fate(path: String, layer: Int, layers: [LayerContents], occurrences: [String: [(layer: Int, entry: Int)]],
                     removals: [Set<String>], opaqueDirs: [Set<String>], nonDirectories: [String: [Int]]? = nil) -> Fate {
        guard layer < layers.count else { return .present }
        // Within one layer the last entry for a path wins, as when extracting.
        let own = occurrences[path]?.last(where: { $0.layer == layer }).map { layers[layer].entries[$0.entry] }
        var current = own
        let later = occurrences[path] ?? []
        // With the precomputed map: the layers above `layer` that replace an ancestor of `path`
        // with a non-directory (usually none).
        var replacingLayers: [Int] = []
        if let nonDirectories {
            var parent = PathNormalizer.dirname(path)
            while !parent.isEmpty {
                for lj in nonDirectories[parent] ?? [] where lj > layer { replacingLayers.append(lj) }
                parent = PathNormalizer.dirname(parent)
            }
        }
        for lj in (layer + 1)..<max(layer + 1, layers.count) {
            // Whiteouts in lj act on lower layers first.
            if !removals[lj].isEmpty || !opaqueDirs[lj].isEmpty {
                if removals[lj].contains(path) {
                    return .removed(layer: lj, how: .whiteout)
                }
                var ancestor = PathNormalizer.dirname(path)
                while true {
                    if removals[lj].contains(ancestor) && !ancestor.isEmpty {
                        return .removed(layer: lj, how: .parentWhiteout)
                    }
                    if opaqueDirs[lj].contains(ancestor) {
                        // Re-added by the same layer: judged below as an overwrite or a copy.
                        if !later.contains(where: { $0.layer == lj }) {
                            return .removed(layer: lj, how: .opaque)
                        }
                        break
                    }
                    if ancestor.isEmpty { break }
                    ancestor = PathNormalizer.dirname(ancestor)
                }
            }
            if let occ = later.last(where: { $0.layer == lj }) {
                let next = layers[lj].entries[occ.entry]
                if let cur = current, next.contentDiffers(from: cur) {
                    return .overwritten(layer: lj)
                }
                current = next
            } else if nonDirectories != nil {
                // A parent replaced by a non-directory hides this path.
                if replacingLayers.contains(lj) { return .removed(layer: lj, how: .parentReplaced) }
            } else {
                // A parent replaced by a non-directory hides this path.
                var ancestor = PathNormalizer.dirname(path)
                while !ancestor.isEmpty {
                    if let occ = occurrences[ancestor]?.last(where: { $0.layer == lj }),
                       layers[lj].entries[occ.entry].type != .dir {
                        return .removed(layer: lj, how: .parentReplaced)
                    }
                    ancestor = PathNormalizer.dirname(ancestor)
                }
            }
        }
        return .present
    }

    /// Content present in some layer but not in the final image, with the layer that removed
    /// or replaced it. Directories are left out: their files are listed.
    /// Computed once per stack (on first use) and shared by copies of it.
    public func historyOnly() -> [HistoryOnlyEntry] { history.entries }

    static func computeHistoryOnly(layers: [LayerContents], occurrences: [String: [(layer: Int, entry: Int)]],
                                   removals: [Set<String>], opaqueDirs: [Set<String>]) -> [HistoryOnlyEntry] {
        var out: [HistoryOnlyEntry] = []
        let nonDirectories = nonDirectoryLayers(layers: layers, occurrences: occurrences)
        for (li, layer) in layers.enumerated() {
            // An earlier entry for the same path in the same layer was never part of any filesystem.
            var lastIndex: [String: Int] = [:]
            for (ei, entry) in layer.entries.enumerated() where entry.whiteout == nil { lastIndex[entry.path] = ei }
            for (ei, entry) in layer.entries.enumerated() where entry.whiteout == nil && entry.type != .dir && lastIndex[entry.path] == ei {
                let fate = LayerStack.fate(path: entry.path, layer: li, layers: layers, occurrences: occurrences,
                                           removals: removals, opaqueDirs: opaqueDirs, nonDirectories: nonDirectories)
                if !fate.isPresent {
                    out.append(HistoryOnlyEntry(path: entry.path, layer: li, entry: entry, fate: fate))
                }
            }
        }
        return out.sorted { ($0.layer, $0.path) < ($1.layer, $1.path) }
    }

    /// path → the layers whose last entry for it is not a directory (such an entry hides
    /// everything below the path from lower layers).
    static func nonDirectoryLayers(layers: [LayerContents], occurrences: [String: [(layer: Int, entry: Int)]]) -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for (path, list) in occurrences {
            // `list` is in layer order; within a layer the last entry is the one that counts.
            for (i, occ) in list.enumerated() where i == list.count - 1 || list[i + 1].layer != occ.layer {
                if layers[occ.layer].entries[occ.entry].type != .dir {
                    result[path, default: []].append(occ.layer)
                }
            }
        }
        return result
    }
}

/// A value computed on first use and shared by every copy of the stack; the lock makes the
/// first computation happen once even when several threads ask at the same time.
private final class LazyValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    func value(_ compute: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let stored { return stored }
        let computed = compute()
        stored = computed
        return computed
    }
}
