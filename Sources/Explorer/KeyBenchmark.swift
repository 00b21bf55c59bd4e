import Foundation
import LayerIndex
import Scanner
import TermGrid

/// Measures keypress-to-frame time on a synthetic layer (reduce + full redraw into a grid),
/// for `strata explore --bench-keys` and `bench/explore-keys.sh`.
public enum KeyBenchmark {
    public struct Result: Sendable {
        public var entries: Int
        /// Background builds of the layer's trees (changes, merged), each once, then cached.
        public var treeBuilds: [(mode: String, ms: Double)]
        public var firstFrame: Double
        public var samples: [Double]
        public func percentile(_ p: Double) -> Double {
            let sorted = samples.sorted()
            guard !sorted.isEmpty else { return 0 }
            return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
        }
    }

    /// A one-layer image of `entries` entries: `entries / 100` directories of 99 files each.
    public static func syntheticEvents(entries: Int) -> [ScanEvent] {
        let digest = Digest(hex: String(repeating: "ab", count: 32))
        let layer = LayerDescriptor(index: 0, digest: digest, diffID: digest, size: Int64(entries) * 1000,
                                    mediaType: "application/vnd.oci.image.layer.v1.tar", compression: .none,
                                    createdBy: "/bin/sh -c make install", historyIndex: 0)
        var list: [Entry] = []
        list.reserveCapacity(entries)
        var d = 0
        while list.count < entries {
            let dir = "usr/share/bench/dir\(d)"
            list.append(Entry(path: dir, type: .dir, mode: 0o755))
            for f in 0..<99 where list.count < entries {
                list.append(Entry(path: "\(dir)/file\(f).txt", type: .file, size: Int64(f * 10), sha256: String(repeating: "0", count: 64)))
            }
            d += 1
        }
        for p in ["usr/share/bench", "usr/share", "usr"].reversed() { list.insert(Entry(path: p, type: .dir, mode: 0o755), at: 0) }
        let config = ImageConfig(os: "linux", architecture: "amd64",
                                 history: [HistoryStep(index: 0, createdBy: "/bin/sh -c make install", layerIndex: 0)], diffIDs: [digest])
        let info = ImageInfo(reference: "bench", format: "synthetic", manifestDigest: nil, configDigest: digest, config: config, layers: [layer])
        let contents = LayerContents(layer: layer, entries: list)
        return [.started(info), .layerDone(LayerResult(contents: contents, matches: [], fromCache: false, bytesRead: 0)),
                .completed(ScanReport(image: info, stack: LayerStack(layers: [contents]), findings: [], failures: []))]
    }

    /// Runs `presses` keypresses in the files pane (moves, pages, collapse, mode toggles), as the
    /// event loop runs them: a keypress never builds a tree; trees the frame asked for are built
    /// between keypresses (in the loop: on a background queue) and timed separately.
    public static func run(entries: Int = 100_000, presses: Int = 2000) -> Result {
        var state = ExplorerState(width: 120, height: 40)
        state.backgroundTrees = true
        var builds: [(mode: String, ms: Double)] = []
        func buildPending() {
            let prefetch = [state.treeKey(layer: state.selectedLayer, merged: !state.merged)].compactMap { $0 }
            for key in state.cache.startBuilds(prefetch) {
                let t0 = DispatchTime.now().uptimeNanoseconds
                state.cache.store(key, state.buildTree(layer: key.layer, merged: key.merged))
                builds.append((key.merged ? "merged" : "changes", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6))
            }
            _ = state.reduce(.treeBuilt)
        }
        for e in syntheticEvents(entries: entries) { _ = state.reduce(.scan(e)) }
        _ = state.reduce(.key(.tab))
        var grid = Screen.render(state)
        buildPending()
        var t0 = DispatchTime.now().uptimeNanoseconds
        grid = Screen.render(state)
        let first = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        let script: [Key] = [.down, .down, .pageDown, .char("j"), .char(" "), .down, .char(" "), .pageUp, .char("k"), .end, .home,
                             .char("m"), .down, .char("m"), .pageDown]
        var samples: [Double] = []
        samples.reserveCapacity(presses)
        for i in 0..<presses {
            let key = script[i % script.count]
            t0 = DispatchTime.now().uptimeNanoseconds
            _ = state.reduce(.key(key))
            grid = Grid(width: state.width, height: state.height)
            Screen.draw(state, into: &grid)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            buildPending()
        }
        return Result(entries: entries, treeBuilds: builds, firstFrame: first, samples: samples)
    }
}
