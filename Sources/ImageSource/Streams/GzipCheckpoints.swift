import CZlib
import Foundation
import LayerIndex

/// Random access into a gzip blob stored in a file: while any reader inflates it, a checkpoint
/// is kept every `span` bytes of output (the compressed position, the bit offset and the 32 KiB
/// window zlib needs to resume there: zlib's `zran` technique). A later reader that wants
/// uncompressed offset X starts at the last checkpoint before X instead of the blob's start.
///
/// The explorer uses it to open a file deep inside a large layer without inflating everything
/// before it each time. Checkpoints cost 32 KiB each; `span` keeps them to about a hundred per
/// layer. Multi-member gzip is followed (each member start is a checkpoint of its own).
public final class GzipCheckpoints: @unchecked Sendable {
    struct Point {
        /// Uncompressed offset.
        var output: Int64
        /// Compressed offset (from the blob's start) of the first byte not fully used.
        var input: Int64
        /// Bits of the byte before `input` that belong to the next block (0 when aligned).
        var bits: Int32
        /// The last 32 KiB of output before `output` (empty at a member's start).
        var window: [UInt8]
        /// A gzip member starts here (header to parse, no window needed).
        var memberStart: Bool
    }

    public let path: String
    public let blobStart: Int64
    public let blobLength: Int64
    public let span: Int64
    /// At most this many checkpoints (8 MiB of windows): a blob that inflates a thousandfold (a
    /// compression bomb) must not turn its checkpoints into gigabytes. Past the last one, reads
    /// inflate from it.
    public static let maxPoints = 256
    private var points: [Point] = [Point(output: 0, input: 0, bits: 0, window: [], memberStart: true)]
    private let lock = NSLock()

    /// Checkpoints for the gzip blob in `file`'s range. The default span aims at ~100 points
    /// (a compressed byte usually inflates to 2–4).
    public init(file: FileByteStream, span: Int64? = nil) {
        path = file.path
        blobStart = file.rangeStart
        blobLength = file.rangeLength
        self.span = span ?? max(1 << 20, file.rangeLength / 32)
    }

    /// How many checkpoints are known (tests, statistics).
    public var count: Int { lock.lock(); defer { lock.unlock() }; return points.count }

    /// The uncompressed bytes from `offset` on.
    public func stream(from offset: Int64) throws -> ByteStream {
        lock.lock()
        let point = points.last { $0.output <= offset } ?? points[0]
        lock.unlock()
        return try CheckpointedInflater(owner: self, from: point, skipping: offset - point.output)
    }

    /// Records a checkpoint if it lies at least `span` beyond the furthest one.
    func offer(_ point: Point) {
        lock.lock()
        if points.count < Self.maxPoints, point.output >= points[points.count - 1].output + span
            || (point.memberStart && point.output > points[points.count - 1].output) {
            points.append(point)
        }
        lock.unlock()
    }

    /// Whether a checkpoint at `output` would be kept (so the window is only copied when it is).
    func wants(_ output: Int64) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return points.count < Self.maxPoints && output >= points[points.count - 1].output + span
    }
}

/// Inflates a gzip blob from one checkpoint, dropping output up to the wanted offset and
/// offering new checkpoints as it passes block boundaries.
final class CheckpointedInflater: ByteStream {
    private let owner: GzipCheckpoints
    private let file: FileByteStream
    private let z: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var scratch = [UInt8](repeating: 0, count: 64 << 10)
    /// Compressed offset of `z.next_in`'s first byte, and uncompressed offset of the next output byte.
    private var inputOffset: Int64
    private var outputOffset: Int64
    private var skip: Int64
    private var raw: Bool
    private var finished = false
    private var name: String { "gzip blob \(Sanitize.line(owner.path))" }

    init(owner: GzipCheckpoints, from point: GzipCheckpoints.Point, skipping: Int64) throws {
        self.owner = owner
        skip = skipping
        outputOffset = point.output
        raw = !point.memberStart
        let startByte = point.input - (raw && point.bits > 0 ? 1 : 0)
        file = try FileByteStream(path: owner.path, offset: owner.blobStart + startByte, length: owner.blobLength - startByte)
        inputOffset = startByte
        z = .allocate(capacity: 1)
        z.initialize(to: z_stream())
        input = .allocate(byteCount: 128 << 10, alignment: 16)
        // On a throw below, deinit still runs (every property is set) and frees both.
        guard (raw ? strata_inflate_init_raw(z) : strata_inflate_init_gzip(z)) == Z_OK else {
            throw StrataError("zlib could not be initialised")
        }
        if raw {
            if point.bits > 0 {
                var byte: UInt8 = 0
                guard try withUnsafeMutableBytes(of: &byte, { try file.read(into: $0) }) == 1 else {
                    throw StrataError("\(name) ends before its checkpoint")
                }
                inputOffset += 1
                inflatePrime(z, point.bits, Int32(byte) >> (8 - point.bits))
            }
            if !point.window.isEmpty {
                _ = point.window.withUnsafeBufferPointer { inflateSetDictionary(z, $0.baseAddress, uInt($0.count)) }
            }
        }
    }

    deinit {
        inflateEnd(z)
        z.deallocate()
        input.deallocate()
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while !finished {
            // Output goes to the caller once the skipped part is behind.
            let produced: Int
            if skip > 0 {
                let want = Int(min(Int64(scratch.count), skip))
                produced = try scratch.withUnsafeMutableBytes { try step(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want])) }
                skip -= Int64(produced)
                continue
            }
            produced = try step(into: buffer)
            if produced > 0 { return produced }
        }
        return 0
    }

    /// One `inflate` call with `Z_BLOCK`: stops at block boundaries, where checkpoints are made.
    private func step(into out: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !out.isEmpty else { return 0 }
        if z.pointee.avail_in == 0 {
            let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[0..<min(input.count, Int(max(0, file.remaining)))]))
            z.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
            z.pointee.avail_in = uInt(n)
            if n == 0 { throw StrataError("\(name) ends early (truncated?)") }
        }
        let availableBefore = Int(z.pointee.avail_in)
        z.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_out = uInt(out.count)
        let rc = inflate(z, Z_BLOCK)
        let produced = out.count - Int(z.pointee.avail_out)
        inputOffset += Int64(availableBefore - Int(z.pointee.avail_in))
        outputOffset += Int64(produced)
        if rc == Z_BUF_ERROR && produced == 0 && availableBefore == Int(z.pointee.avail_in) {
            throw StrataError("\(name): inflate made no progress")
        }
        switch rc {
        case Z_OK, Z_BUF_ERROR:
            let type = z.pointee.data_type
            if type & 128 != 0, type & 64 == 0, owner.wants(outputOffset) {
                var window = [UInt8](repeating: 0, count: 32 << 10)
                var length: uInt = 0
                _ = window.withUnsafeMutableBufferPointer { inflateGetDictionary(z, $0.baseAddress, &length) }
                window.removeLast(window.count - Int(length))
                // The byte at `inputOffset - 1` still holds `type & 7` bits of the next block.
                let bits = type & 7
                owner.offer(.init(output: outputOffset, input: inputOffset, bits: bits, window: window, memberStart: false))
            }
        case Z_STREAM_END:
            try nextMember()
        default:
            let message = z.pointee.msg.map { String(cString: $0) } ?? "error \(rc)"
            throw StrataError("\(name): corrupt deflate data (\(message))")
        }
        return produced
    }

    /// After a member's deflate data: skip its trailer (zlib reads it only in gzip mode), then
    /// start the next member, or end at padding or the end of the blob.
    private func nextMember() throws {
        if raw {
            var trailer = 8
            while trailer > 0 {
                if z.pointee.avail_in == 0, try refill() == 0 { finished = true; return }
                let used = min(trailer, Int(z.pointee.avail_in))
                z.pointee.next_in += used
                z.pointee.avail_in -= uInt(used)
                inputOffset += Int64(used)
                trailer -= used
            }
        }
        if z.pointee.avail_in < 2, try refill(keeping: Int(z.pointee.avail_in)) == 0, z.pointee.avail_in < 2 {
            finished = true
            return
        }
        guard z.pointee.next_in[0] == 0x1F, z.pointee.next_in[1] == 0x8B else {
            finished = true // zero padding or trailing bytes after the last member
            return
        }
        guard inflateReset2(z, 15 + 16) == Z_OK else { throw StrataError("zlib could not be reset") }
        raw = false
        owner.offer(.init(output: outputOffset, input: inputOffset, bits: 0, window: [], memberStart: true))
    }

    /// Reads more input after the `keeping` bytes still unused; returns how many were read.
    private func refill(keeping: Int = 0) throws -> Int {
        if keeping > 0, let next = z.pointee.next_in {
            memmove(input.baseAddress!, next, keeping)
        }
        let room = UnsafeMutableRawBufferPointer(rebasing: input[keeping..<min(input.count, keeping + Int(max(0, file.remaining)))])
        let n = room.isEmpty ? 0 : try file.read(into: room)
        z.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_in = uInt(keeping + n)
        return n
    }
}
