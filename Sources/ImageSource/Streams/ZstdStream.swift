import CZstd
import LayerIndex

/// Streams the decompression of zstd data (one or more frames) with libzstd.
/// Truncated or corrupt input throws a `StrataError`; the source is read to its end.
public final class ZstdStream: ByteStream {
    private let source: ByteStream
    private let dstream: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var inputEOF = false
    private var frameOpen = false
    public let name: String

    public init(_ source: ByteStream, name: String = "zstd stream", inputBufferSize: Int = 128 * 1024) throws {
        self.source = source
        self.name = name
        guard let ds = ZSTD_createDStream() else { throw StrataError("libzstd could not be initialised") }
        let r = ZSTD_initDStream(ds)
        if ZSTD_isError(r) != 0 {
            ZSTD_freeDStream(ds)
            throw StrataError("libzstd could not be initialised")
        }
        dstream = ds
        input = .allocate(byteCount: max(inputBufferSize, Int(ZSTD_DStreamInSize())), alignment: 16)
        inBuffer.src = UnsafeRawPointer(input.baseAddress!)
    }

    deinit {
        ZSTD_freeDStream(dstream)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        var out = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
        while true {
            if inBuffer.pos == inBuffer.size && !inputEOF {
                let n = try source.read(into: input)
                if n == 0 { inputEOF = true }
                inBuffer.size = n
                inBuffer.pos = 0
            }
            if inBuffer.pos == inBuffer.size && inputEOF && !frameOpen { return out.pos }
            let ret = ZSTD_decompressStream(dstream, &out, &inBuffer)
            if ZSTD_isError(ret) != 0 {
                throw StrataError("\(name) is corrupt: \(String(cString: ZSTD_getErrorName(ret)))")
            }
            frameOpen = ret != 0
            if out.pos > 0 { return out.pos }
            if inBuffer.pos == inBuffer.size && inputEOF && frameOpen {
                throw StrataError("\(name) is truncated: the compressed data ends inside a zstd frame")
            }
        }
    }
}
