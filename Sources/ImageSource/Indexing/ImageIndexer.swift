import Foundation
import LayerIndex

/// One layer's outcome: its contents (complete, or partial when `error` is set).
public struct LayerIndexResult: Sendable {
    public var contents: LayerContents
    /// The fatal error that stopped reading this layer, if any; `contents` holds what was read.
    public var error: StrataError?

    public init(contents: LayerContents, error: StrataError? = nil) {
        self.contents = contents
        self.error = error
    }

    public var layer: LayerDescriptor { contents.layer }
}

/// Indexes all layers of an image on a bounded pool of threads (one layer per thread at a time,
/// largest layers first so the cores stay busy). Each layer is read in one streaming pass;
/// memory per worker is one tar buffer plus the decompressor's state.
public enum ImageIndexer {
    /// Worker count when none is given: the `STRATA_JOBS` environment variable, else the number
    /// of active cores.
    public static var defaultConcurrency: Int {
        if let text = ProcessInfo.processInfo.environment["STRATA_JOBS"], let n = Int(text), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Indexes `layers` (default: all of `info`) from `source`. Never throws: a layer that fails
    /// yields its partial contents and the error. `visitor` makes a visitor per layer (called on
    /// the worker thread); `onLayer` is called on the worker thread as each layer finishes.
    public static func index(source: any ImageSource, info: ImageInfo, layers: [LayerDescriptor]? = nil,
                             concurrency: Int? = nil,
                             visitor: @escaping @Sendable (LayerDescriptor) -> LayerVisitor? = { _ in nil },
                             onLayer: @escaping @Sendable (LayerIndexResult) -> Void = { _ in }) -> [LayerIndexResult] {
        let todo = (layers ?? info.layers).sorted { $0.size > $1.size }
        let results = ResultBox(count: todo.count)
        let workers = max(1, min(concurrency ?? defaultConcurrency, todo.count))
        let indexer = LayerIndexer(image: source.reference)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let slot = results.claim() {
                let layer = todo[slot]
                let result: LayerIndexResult
                do {
                    let contents = try indexer.index(layer: layer, from: source, visitor: visitor(layer))
                    result = LayerIndexResult(contents: contents)
                } catch let error as LayerReadError {
                    result = LayerIndexResult(contents: error.partial, error: error.error)
                } catch {
                    result = LayerIndexResult(contents: LayerContents(layer: layer, entries: []),
                                              error: StrataError(String(describing: error), image: source.reference, layer: layer.index))
                }
                results.store(result, at: slot)
                onLayer(result)
            }
        }
        return results.all().sorted { $0.layer.index < $1.layer.index }
    }
}

/// Thread-safe slots for the pool's results.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [LayerIndexResult?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ result: LayerIndexResult, at slot: Int) {
        lock.lock()
        slots[slot] = result
        lock.unlock()
    }

    func all() -> [LayerIndexResult] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
