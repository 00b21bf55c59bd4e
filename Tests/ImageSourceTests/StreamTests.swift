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

    /// A layer whose SHA-256 is verified skips gzip's CRC-32: a wrong CRC then goes unnoticed
    /// (the digest catches it), while a wrong deflate stream is still an error either way.
    @Test func crcCheckCanBeLeftToTheDigest() throws {
        let a = sample(120_000), b = Array("second member".utf8)
        var data = Compression.gzip(a) + Compression.gzip(b)
        let firstEnd = Compression.gzip(a).count
        data[firstEnd - 8] ^= 0xff  // the first member's CRC-32
        #expect(throws: StrataError.self) { try readAll(try GzipStream(MemoryByteStream(data))) }
        #expect(try readAll(try GzipStream(MemoryByteStream(data), checkCRC: false)) == a + b)
        var broken = Compression.gzip(a)
        for i in 20..<60 { broken[i] ^= 0x5a }
        #expect(throws: StrataError.self) { try readAll(try GzipStream(MemoryByteStream(broken), checkCRC: false)) }
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

@Suite struct CountingStreamTests {
    @Test func reportsProgressAndTheTotal() throws {
        let bytes = [UInt8](repeating: 7, count: 10_000)
        nonisolated(unsafe) var reports: [Int64] = []
        let stream = CountingStream(MemoryByteStream(bytes), interval: 3000) { reports.append($0) }
        var buffer = [UInt8](repeating: 0, count: 1000)
        while try buffer.withUnsafeMutableBytes({ try stream.read(into: $0) }) > 0 {}
        #expect(stream.count == 10_000)
        #expect(reports == [3000, 6000, 9000, 10_000])
    }

    @Test func indexerReportsUncompressedBytes() throws {
        let dir = TemporaryDirectory()
        let path = try TestImages.write(ImageSpec(layers: [LayerSpec([.file("f", String(repeating: "x", count: 9000))])]),
                                        as: .ociLayout, in: dir)
        let source = try ImageSources.open(path)
        let layer = try source.loadInfo().layers[0]
        nonisolated(unsafe) var last: Int64 = 0
        _ = try LayerIndexer().index(layer: layer, from: source, progress: { last = $0 })
        #expect(last == Int64(512 + 9216 + 1024))
    }
}

private final class FailingStream: ByteStream {
    var left = 3
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if left == 0 { throw StrataError("boom") }
        left -= 1
        buffer.initializeMemory(as: UInt8.self, repeating: 1)
        return buffer.count
    }
}

@Suite struct PrefetchStreamTests {
    @Test func deliversTheSameBytesInOrder() throws {
        let data = (0..<1_000_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        for chunk in [1, 4095, 65536, 1 << 20] {
            let stream = PrefetchStream(MemoryByteStream(data), bufferSize: 4096, count: 3)
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: chunk)
            while true {
                let n = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
                if n == 0 { break }
                out += buffer[0..<n]
            }
            #expect(out == data)
            #expect(try buffer.withUnsafeMutableBytes { try stream.read(into: $0) } == 0)
        }
    }

    @Test func rethrowsTheSourceErrorAfterTheGoodBytes() throws {
        let stream = PrefetchStream(FailingStream(), bufferSize: 4096, count: 2)
        var buffer = [UInt8](repeating: 0, count: 4096)
        var good = 0
        let error = #expect(throws: StrataError.self) {
            while true { good += try buffer.withUnsafeMutableBytes { try stream.read(into: $0) } }
        }
        #expect(error?.message == "boom" && good == 3 * 4096)
    }

    @Test func droppingItEarlyStopsTheThread() throws {
        for _ in 0..<50 {
            let stream = PrefetchStream(MemoryByteStream([UInt8](repeating: 9, count: 100_000)), bufferSize: 4096, count: 2)
            var buffer = [UInt8](repeating: 0, count: 10)
            _ = try buffer.withUnsafeMutableBytes { try stream.read(into: $0) }
        }
    }
}
