import CZlib

/// Bounded in-memory inflation for small embedded payloads (a gzip'd log, a zip member) that
/// callers want to scan as text. Streams belong to ImageSource; this is for bytes already in hand.
public enum Decompression {
    /// Inflates gzip or zlib data; nil when it is corrupt or would exceed `limit` bytes.
    public static func gunzip(_ data: [UInt8], limit: Int = 64 << 20) -> [UInt8]? {
        inflate(data, limit: limit, raw: false)
    }

    /// Inflates a raw deflate stream (zip members); nil when corrupt or over `limit`.
    public static func inflateRaw(_ data: [UInt8], limit: Int = 64 << 20) -> [UInt8]? {
        inflate(data, limit: limit, raw: true)
    }

    private static func inflate(_ data: [UInt8], limit: Int, raw: Bool) -> [UInt8]? {
        guard !data.isEmpty else { return nil }
        var stream = z_stream()
        let initResult = raw ? strata_inflate_init_raw(&stream) : strata_inflate_init_auto(&stream)
        guard initResult == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var input = data
        return input.withUnsafeMutableBufferPointer { inBuf -> [UInt8]? in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { outBuf -> Int32 in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = UInt32(outBuf.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if output.count > limit { return nil }
                if status == Z_STREAM_END {
                    // Concatenated gzip members: continue with the next one.
                    if !raw && stream.avail_in > 0 { inflateReset(&stream); continue }
                    return output
                }
                if status != Z_OK { return status == Z_BUF_ERROR && stream.avail_in == 0 ? output : nil }
            }
        }
    }
}
