import Detection
import Foundation

/// One text window waiting for the detection engine, with what is needed to report its
/// matches as if the whole file had been scanned at once.
struct PendingWindow {
    var bytes: [UInt8]
    var path: String
    /// Matches starting at or after this offset are left to the next window (unless `final`).
    var acceptBefore: Int
    var final: Bool
    var offset: Int
    var linesBefore: Int
    var columnCarry: Int

    /// Runs the matcher over the window and reports its matches in file coordinates.
    func scan(with context: ScanContext) {
        let matches = bytes.withUnsafeBytes { context.matcher.scan(bytes: $0, path: path) }
        for var m in matches where final || m.start < acceptBefore {
            if m.line == 1 { m.column += columnCarry }
            m.line += linesBefore
            m.start += offset
            m.end += offset
            context.emit(path, m)
        }
    }
}

/// Runs detection on its own thread, so one layer's decompression, tar parsing and hashing
/// (on the reader's thread) overlap with matching its text. Windows are handed over in
/// batches (small files are many) through a queue bounded in bytes: when detection falls
/// behind, the reader waits, so memory stays bounded. Matches come out in submission order.
final class DetectionQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [[PendingWindow]] = []
    private var queuedBytes = 0
    private var busy = false
    private var closed = false
    private var started = false
    private var batch: [PendingWindow] = []
    private var batchBytes = 0
    private let limit: Int
    private let batchLimit: Int
    private let work: ([PendingWindow]) -> Void

    init(limit: Int, batchLimit: Int = 256 << 10, work: @escaping ([PendingWindow]) -> Void) {
        self.limit = limit
        self.batchLimit = batchLimit
        self.work = work
    }

    deinit { close() }

    /// Queues a window (reader's thread).
    func submit(_ window: PendingWindow) {
        batchBytes += window.bytes.count + 64
        batch.append(window)
        if batchBytes >= batchLimit { flushBatch() }
    }

    private func flushBatch() {
        guard !batch.isEmpty else { return }
        let items = batch, size = batchBytes
        batch = []
        batchBytes = 0
        condition.lock()
        if !started {
            started = true
            let thread = Thread { [self] in loop() }
            thread.name = "strata-detect"
            thread.start()
        }
        while queuedBytes > 0 && queuedBytes + size > limit { condition.wait() }
        queue.append(items)
        queuedBytes += size
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until every submitted window has been scanned (reader's thread).
    func drain() {
        flushBatch()
        condition.lock()
        while !queue.isEmpty || busy { condition.wait() }
        condition.unlock()
    }

    /// Lets the thread end once the queue is empty.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !closed { condition.wait() }
            if queue.isEmpty {
                condition.unlock()
                return
            }
            let items = queue.removeFirst()
            busy = true
            condition.unlock()
            work(items)
            condition.lock()
            queuedBytes -= items.reduce(0) { $0 + $1.bytes.count + 64 }
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }
}
