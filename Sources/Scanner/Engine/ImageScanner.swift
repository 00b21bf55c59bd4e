import Foundation
import ImageSource
import LayerIndex

/// The background scanner: one job per layer plus one for the config, run by a bounded pool of
/// worker threads. Each layer job streams its layer once (index entries and secret matches from
/// the same pass) unless the cache already holds its results.
///
/// Events (`ScanEvent`) are delivered one at a time, on a worker thread, in this order: `started`
/// (after `loadInfo`, before any decompression), a `layerState(queued)` per layer, then as jobs
/// run `layerState`, `layerDone`/`configDone`/`failed` and `progress` in finishing order, and
/// last `completed` with the full report. If the image cannot even be opened, a single `failed`
/// is the only and last event. The callback may call `prioritize(layer:)` and `cancel()`.
///
/// The report never depends on the finishing order: results are put back in layer order and
/// matches, findings and failures are sorted.
public final class ImageScanner: @unchecked Sendable {
    /// Knobs for the pool and the cache.
    public struct Options: Sendable {
        /// Worker threads; defaults to the number of active cores.
        public var workers: Int
        /// Write finished layers to the cache (turn off when digests are not verified, so a
        /// tampered layer can never poison the entry for its claimed diff_id).
        public var writeCache: Bool
        /// Record the image and its findings' statuses in the cache for `strata where`.
        public var recordImage: Bool
        /// The raw secret values are needed (`--show-secrets`): the cache has none, so a cached
        /// layer with matches is streamed again; cached layers without matches are still reused.
        public var revealSecrets: Bool

        public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, writeCache: Bool = true,
                    recordImage: Bool = true, revealSecrets: Bool = false) {
            self.workers = max(1, workers)
            self.writeCache = writeCache
            self.recordImage = recordImage
            self.revealSecrets = revealSecrets
        }
    }

    enum Job: Equatable { case config, layer(Int) }

    public let source: ImageSource
    public let pipeline: ScanPipeline
    public let cache: ScanCache?
    public let options: Options
    let preloaded: ImageInfo?

    /// Guards the scheduling state below. Never held while calling out.
    let stateLock = NSLock()
    /// Serialises event delivery; taken before `stateLock` when both are needed.
    let emitLock = NSLock()
    let finished = NSCondition()

    var onEvent: (@Sendable (ScanEvent) -> Void)?
    var begun = false
    var cancelled = false
    var info: ImageInfo?
    var queue: [Job] = []
    var states: [LayerScanState] = []
    var results: [Int: LayerResult] = [:]
    var partial: [Int: LayerContents] = [:]
    var partialMatches: [Int: [FileMatch]] = [:]
    var cacheErrors: [StrataError] = []
    var failures: [StrataError] = []
    var configFindings: [Finding] = []
    var layersDone = 0
    var bytesDone: Int64 = 0
    var bytesStreamed: Int64 = 0
    var startTime = Date()
    var outcome: Result<ScanReport, StrataError>?

    /// `info`: the image's manifest and config when the caller has already read them (so
    /// `loadInfo` is not called twice).
    public init(source: ImageSource, pipeline: ScanPipeline, cache: ScanCache? = nil, options: Options = Options(),
                info: ImageInfo? = nil) {
        self.source = source
        self.preloaded = info
        self.pipeline = pipeline
        self.cache = cache
        self.options = options
    }

    // MARK: Consumer API

    /// Starts the scan in the background; returns at once. Calling it twice does nothing.
    public func start(onEvent: @escaping @Sendable (ScanEvent) -> Void) {
        stateLock.lock()
        if begun { stateLock.unlock(); return }
        begun = true
        self.onEvent = onEvent
        stateLock.unlock()
        let thread = Thread { [self] in coordinate() }
        thread.name = "strata-scan"
        thread.start()
    }

    /// Blocks until the scan has completed (or was cancelled) and returns its report; throws when
    /// the image could not be opened. Starts the scan (ignoring events) if nobody did.
    public func wait() throws -> ScanReport {
        start { _ in }
        finished.lock()
        defer { finished.unlock() }
        while outcome == nil { finished.wait() }
        return try outcome!.get()
    }

    /// Runs the whole scan and returns the report with every event in delivery order (`strata scan`).
    public func runToCompletion() throws -> (report: ScanReport, events: [ScanEvent]) {
        let collected = EventLog()
        start { collected.append($0) }
        let report = try wait()
        return (report, collected.events)
    }

    /// Stops the scan: queued jobs are dropped, running layer streams stop at their next read.
    /// `completed` still arrives, with what was finished and `cancelled` set.
    public func cancel() {
        stateLock.lock()
        cancelled = true
        queue.removeAll()
        stateLock.unlock()
    }

    /// Cache reads and writes that failed (the scan went on without them), for a warning line.
    public var cacheProblems: [StrataError] {
        stateLock.lock()
        defer { stateLock.unlock() }
        return cacheErrors
    }

    func noteCacheProblem(_ what: String, _ error: Error) {
        let problem = StrataError("cache: \(what): \(ImageScanner.strataError(error).message)", image: source.reference)
        stateLock.lock()
        cacheErrors.append(problem)
        stateLock.unlock()
    }

    public var isCancelled: Bool {
        stateLock.lock()
        defer { stateLock.unlock() }
        return cancelled
    }

    /// Moves the layer's job to the front of the queue (the layer the user is looking at goes
    /// next). Does nothing if it is already running or done.
    public func prioritize(layer: Int) {
        stateLock.lock()
        defer { stateLock.unlock() }
        if let position = queue.firstIndex(of: .layer(layer)), position > 0 {
            queue.remove(at: position)
            queue.insert(.layer(layer), at: 0)
        }
    }

    /// The current state of each layer's job (empty before `started`).
    public var layerStates: [LayerScanState] {
        stateLock.lock()
        defer { stateLock.unlock() }
        return states
    }

    // MARK: Coordination

    private func coordinate() {
        let loaded: ImageInfo
        do {
            loaded = try preloaded ?? source.loadInfo()
        } catch {
            let failure = ImageScanner.strataError(error).with(image: source.reference)
            emit(.failed(failure))
            finish(.failure(failure))
            return
        }
        let workerCount: Int = {
            stateLock.lock()
            defer { stateLock.unlock() }
            info = loaded
            states = Array(repeating: .queued, count: loaded.layers.count)
            // Longest jobs first keeps both cores busy to the end; the config is tiny and its
            // findings are the first a user wants.
            let order = loaded.layers.sorted { ($0.size, -$0.index) > ($1.size, -$1.index) }.map { Job.layer($0.index) }
            queue = cancelled ? [] : [.config] + order
            startTime = Date()
            return min(options.workers, max(1, queue.count))
        }()
        emit(.started(loaded))
        for layer in loaded.layers { emit(.layerState(index: layer.index, state: .queued)) }

        let group = DispatchGroup()
        for number in 0..<workerCount {
            group.enter()
            let thread = Thread { [self] in
                while let job = nextJob() { run(job, info: loaded) }
                group.leave()
            }
            thread.name = "strata-scan-\(number)"
            thread.start()
        }
        group.wait()
        let report = assembleReport(loaded)
        if let cache, options.recordImage, !report.cancelled {
            do {
                try cache.recordImage(report: report, ruleset: pipeline.rulesetKey)
            } catch {
                noteCacheProblem("could not record the image for `strata where`", error)
            }
        }
        emit(.completed(report))
        finish(.success(report))
    }

    private func finish(_ result: Result<ScanReport, StrataError>) {
        finished.lock()
        outcome = result
        finished.broadcast()
        finished.unlock()
    }

    private func nextJob() -> Job? {
        stateLock.lock()
        defer { stateLock.unlock() }
        guard !cancelled, !queue.isEmpty else { return nil }
        return queue.removeFirst()
    }

    /// Delivers one event; events never interleave.
    func emit(_ event: ScanEvent) {
        emitLock.lock()
        defer { emitLock.unlock() }
        onEvent?(event)
    }

    /// Emits the event built under the state lock, so counters in consecutive events never go back.
    func emit(_ build: () -> [ScanEvent]) {
        emitLock.lock()
        defer { emitLock.unlock() }
        stateLock.lock()
        let events = build()
        stateLock.unlock()
        for event in events { onEvent?(event) }
    }

    static func strataError(_ error: Error) -> StrataError {
        (error as? StrataError) ?? StrataError(String(describing: error))
    }
}

/// A thread-safe list of events, in the order they were appended.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [ScanEvent] = []

    func append(_ event: ScanEvent) {
        lock.lock()
        list.append(event)
        lock.unlock()
    }

    var events: [ScanEvent] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
