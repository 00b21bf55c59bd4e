import Foundation
import Testing
@testable import ImageSource
import LayerIndex
import TestSupport

private func readAll(_ stream: ByteStream, chunk: Int = 1000) throws -> [UInt8] {
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: chunk)
    while true {
        let n = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
        if n == 0 { return out }
        out += buffer[0..<n]
    }
}

private func sample(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: ($0 * 31) ^ ($0 >> 7)) }
}

@Suite struct StreamTests {
    @Test func gzipRoundTripAndMultiMember() throws {
        let a = sample(300_000), b = Array("second member".utf8)
        let data = Compression.gzip(a) + Compression.gzip(b) + [0, 0, 0, 0]
        let out = try readAll(try GzipStream(MemoryByteStream(data)))
        #expect(out == a + b)
    }

    @Test func truncatedGzipThrowsInsteadOfHanging() throws {
        let data = Compression.gzip(sample(200_000))
        for cut in [1, 10, data.count / 2, data.count - 4] {
            let stream = try GzipStream(MemoryByteStream(Array(data.prefix(cut))), name: "layer blob abc")
            let error = #expect(throws: StrataError.self) { try readAll(stream) }
            #expect(error?.message.contains("truncated") == true, "cut at \(cut): \(String(describing: error))")
        }
    }

    @Test func corruptGzipThrows() throws {
        var data = Compression.gzip(sample(100_000))
        for i in 20..<60 { data[i] ^= 0x5a }
        let stream = try GzipStream(MemoryByteStream(data))
        #expect(throws: StrataError.self) { try readAll(stream) }
    }

    @Test func zstdRoundTripMultiFrameAndTruncation() throws {
        let a = sample(500_000), b = sample(1000)
        let data = Compression.zstd(a) + Compression.zstd(b)
        #expect(try readAll(try ZstdStream(MemoryByteStream(data)), chunk: 65536) == a + b)
        let cut = Compression.zstd(a).prefix(1000)
        let error = #expect(throws: StrataError.self) { try readAll(try ZstdStream(MemoryByteStream(Array(cut)))) }
        #expect(error?.message.contains("truncated") == true)
    }

    @Test func sniffingPicksTheDecompressor() throws {
        let raw = sample(10_000)
        for kind in [LayerCompression.none, .gzip, .zstd] {
            let (stream, found) = try Decompression.decompress(MemoryByteStream(Compression.compress(raw, kind)), name: "x")
            #expect(found == kind)
            #expect(try readAll(stream) == raw)
        }
        #expect(Decompression.compression(forMediaType: MediaTypes.ociLayerZstd) == .zstd)
        #expect(Decompression.compression(forMediaType: MediaTypes.dockerLayerGzip) == .gzip)
    }

    @Test func digestingStreamNamesTheBlobOnMismatch() throws {
        let data = sample(5000)
        let good = Digest(hex: SHA256Hasher.hex(of: data))
        #expect(try readAll(DigestingStream(MemoryByteStream(data), expected: good)) == data)
        let wrong = Digest(hex: String(repeating: "ab", count: 32))
        let error = #expect(throws: StrataError.self) { try readAll(DigestingStream(MemoryByteStream(data), expected: wrong)) }
        #expect(error?.layerDigest == wrong)
        #expect(error?.message.contains(good.description) == true)
        // Verification off: reads through.
        #expect(try readAll(DigestingStream(MemoryByteStream(data), expected: wrong, verify: false)) == data)
    }

    @Test func fileByteStreamReadsARange() throws {
        let dir = TemporaryDirectory()
        let url = dir.file("f")
        try Data(sample(10_000)).write(to: url)
        let stream = try FileByteStream(path: url.path, offset: 100, length: 50)
        #expect(try readAll(stream) == Array(sample(10_000)[100..<150]))
        #expect(throws: StrataError.self) { try FileByteStream(path: url.path, offset: 9_990, length: 50) }
        #expect(throws: StrataError.self) { try FileByteStream(path: dir.file("missing").path) }
    }
}
