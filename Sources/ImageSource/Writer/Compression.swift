import CZlib
import CZstd
import LayerIndex

/// Whole-buffer compression for the image writer (gzip through zlib, zstd through libzstd).
public enum Compression {
    public static func gzip(_ input: [UInt8], level: Int32 = 6) -> [UInt8] {
        // zlib checks that the stream keeps its address: keep it in allocated memory.
        let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        z.initialize(to: z_stream())
        defer { deflateEnd(z); z.deallocate() }
        precondition(strata_deflate_init_gzip(z, level) == Z_OK, "zlib deflate init failed")
        var output = [UInt8](repeating: 0, count: Int(deflateBound(z, uLong(input.count))) + 64)
        var input = input
        let produced: Int = input.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                z.pointee.next_in = inRaw.baseAddress?.assumingMemoryBound(to: Bytef.self)
                z.pointee.avail_in = uInt(inRaw.count)
                z.pointee.next_out = outRaw.baseAddress!.assumingMemoryBound(to: Bytef.self)
                z.pointee.avail_out = uInt(outRaw.count)
                let ret = deflate(z, Z_FINISH)
                precondition(ret == Z_STREAM_END, "zlib deflate failed: \(ret)")
                return outRaw.count - Int(z.pointee.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    public static func zstd(_ input: [UInt8], level: Int32 = 3) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(input.count))
        let n = input.withUnsafeBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                ZSTD_compress(outRaw.baseAddress, outRaw.count, inRaw.baseAddress, inRaw.count, level)
            }
        }
        precondition(ZSTD_isError(n) == 0, "zstd compression failed")
        return Array(output.prefix(n))
    }

    public static func compress(_ input: [UInt8], _ kind: LayerCompression) -> [UInt8] {
        switch kind {
        case .none: return input
        case .gzip: return gzip(input)
        case .zstd: return zstd(input)
        }
    }
}
