import Foundation
import LayerIndex

/// Reads its source ahead on a background thread into a small ring of buffers, so that
/// decompression (and the blob and diff_id hashes under it) runs on one core while the tar
/// parsing, file hashing and detection above it run on another. Memory: `count × bufferSize`.
/// Errors of the source are rethrown in order; dropping the stream stops the thread.
public final class PrefetchStream: ByteStream {
    private let ring: PrefetchRing
    private var slot = 0
    private var offset = 0
    private var length = 0
    private var finished = false

    public init(_ source: ByteStream, bufferSize: Int = 256 * 1024, count: Int = 4) {
        ring = PrefetchRing(count: max(2, count), bufferSize: max(4096, bufferSize))
        let ring = self.ring
        let box = UncheckedStreamBox(source)
        let thread = Thread { ring.produce(from: box.stream) }
        thread.name = "strata-prefetch"
        thread.start()
    }

    deinit { ring.cancel() }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if finished { return 0 }
        if offset == length {
            if length > 0 || offset > 0 {
                ring.release()
                slot = (slot + 1) % ring.count
            }
            ring.filled.wait()
            let n = ring.lengths[slot]
            if n < 0 {
                finished = true
                throw ring.error ?? StrataError("read-ahead failed")
            }
            if n == 0 {
                finished = true
                return 0
            }
            offset = 0
            length = n
        }
        let take = min(buffer.count, length - offset)
        buffer.baseAddress!.copyMemory(from: ring.buffers[slot].baseAddress! + offset, byteCount: take)
        offset += take
        return take
    }
}

private struct UncheckedStreamBox: @unchecked Sendable {
    let stream: ByteStream
    init(_ stream: ByteStream) { self.stream = stream }
}

/// Buffers shared by the producer thread and the consumer; semaphores order every access.
final class PrefetchRing: @unchecked Sendable {
    let count: Int
    let buffers: [UnsafeMutableRawBufferPointer]
    /// Raw memory, not an Array: the two threads touch different slots, and an Array's
    /// copy-on-write check would itself race.
    let lengths: UnsafeMutablePointer<Int>
    var error: Error?
    /// Starts at 0 and is signalled `count` times: libdispatch traps when a semaphore is freed
    /// with a value below the one it was created with.
    let empty = DispatchSemaphore(value: 0)
    let filled = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var cancelled = false

    init(count: Int, bufferSize: Int) {
        self.count = count
        buffers = (0..<count).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 64) }
        lengths = .allocate(capacity: count)
        lengths.initialize(repeating: 0, count: count)
        for _ in 0..<count { empty.signal() }
    }

    deinit {
        buffers.forEach { $0.deallocate() }
        lengths.deallocate()
    }

    private var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
        empty.signal()
    }

    func release() { empty.signal() }

    func produce(from source: ByteStream) {
        var index = 0
        while true {
            empty.wait()
            if isCancelled { return }
            do {
                let n = try source.read(into: buffers[index])
                lengths[index] = n
                filled.signal()
                if n == 0 { return }
            } catch {
                self.error = error
                lengths[index] = -1
                filled.signal()
                return
            }
            index = (index + 1) % count
        }
    }
}
