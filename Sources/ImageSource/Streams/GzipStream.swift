import CZlib
import LayerIndex

/// Streams the decompression of gzip (or zlib) data with zlib. Handles multi-member gzip
/// (concatenated members, as pigz and some registries write) and ignores zero padding after the
/// last member. Truncated or corrupt input throws a `StrataError`; it never hangs.
/// The source is always read to its end, so a `DigestingStream` below sees every byte.
public final class GzipStream: ByteStream {
    private let source: ByteStream
    private let z: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var inputEOF = false
    private var memberEnded = false
    private var finished = false
    /// Names the data in error messages.
    public let name: String

    /// `checkCRC: false` skips computing the gzip CRC-32 and length check: for layers whose
    /// blob digest or diff_id is verified anyway (SHA-256 is the stronger check), it saves about
    /// a tenth of the inflate time.
    public init(_ source: ByteStream, name: String = "gzip stream", inputBufferSize: Int = 128 * 1024,
                checkCRC: Bool = true) throws {
        self.source = source
        self.name = name
        z = .allocate(capacity: 1)
        z.initialize(to: z_stream())
        input = .allocate(byteCount: inputBufferSize, alignment: 16)
        guard strata_inflate_init_auto(z) == Z_OK else {
            z.deallocate()
            input.deallocate()
            throw StrataError("zlib could not be initialised")
        }
        if !checkCRC { inflateValidate(z, 0) }
    }

    deinit {
        inflateEnd(z)
        z.deallocate()
        input.deallocate()
    }

    private func refill() throws {
        let n = try source.read(into: input)
        if n == 0 { inputEOF = true }
        z.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_in = uInt(n)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        let capacity = min(buffer.count, Int(UInt32.max))
        z.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_out = uInt(capacity)
        while true {
            if z.pointee.avail_in == 0 && !inputEOF { try refill() }
            if memberEnded {
                // Between members: another gzip member, padding, or the end.
                if z.pointee.avail_in == 0 {
                    if inputEOF { finished = true; return capacity - Int(z.pointee.avail_out) }
                    continue
                }
                if z.pointee.next_in.pointee == 0x1f {
                    inflateReset(z)
                    memberEnded = false
                } else {
                    // Trailing bytes that are not a gzip member (zero padding): read them to the end.
                    z.pointee.avail_in = 0
                    if inputEOF { finished = true; return capacity - Int(z.pointee.avail_out) }
                    continue
                }
            }
            let ret = inflate(z, Z_NO_FLUSH)
            switch ret {
            case Z_STREAM_END:
                memberEnded = true
            case Z_OK:
                break
            case Z_BUF_ERROR:
                // No progress possible. We always offer output space, so input is missing:
                // at the end of the data that means truncation.
                if inputEOF && z.pointee.avail_in == 0 {
                    throw StrataError("\(name) is truncated: the compressed data ends before the gzip stream does")
                }
            case Z_DATA_ERROR:
                let detail = z.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                throw StrataError("\(name) is corrupt: \(detail)")
            case Z_MEM_ERROR:
                throw StrataError("\(name): zlib ran out of memory")
            default:
                throw StrataError("\(name) is corrupt (zlib error \(ret))")
            }
            let produced = capacity - Int(z.pointee.avail_out)
            if produced > 0 && (z.pointee.avail_out == 0 || memberEnded || z.pointee.avail_in == 0) {
                return produced
            }
        }
    }
}
