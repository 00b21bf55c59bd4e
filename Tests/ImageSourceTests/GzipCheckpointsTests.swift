import Foundation
import ImageSource
import LayerIndex
import Testing
import TestSupport

/// Random access into gzip blobs: every offset reads exactly the bytes a full inflate gives,
/// from a checkpoint instead of the start once one is known, across gzip members too.
@Suite struct GzipCheckpointsTests {
    /// Text with enough variety that deflate emits many blocks.
    static func sample(_ bytes: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        var out: [UInt8] = []
        out.reserveCapacity(bytes + 80)
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo"]
        while out.count < bytes {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            out += Array("\(words[Int(state >> 60) % words.count])-\(state >> 40 & 0xFFFF) ".utf8)
            if state & 0xF == 0 { out.append(0x0A) }
        }
        return Array(out.prefix(bytes))
    }

    func readAll(_ stream: ByteStream, limit: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 7001)
        while out.count < limit {
            let n = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
            if n == 0 { break }
            out += chunk[0..<n]
        }
        return Array(out.prefix(limit))
    }

    @Test func everyOffsetReadsTheRightBytes() throws {
        let dir = TemporaryDirectory("strata-zran")
        // Two gzip members (pigz and some registries write several), behind 100 bytes of other data.
        let first = Self.sample(3 << 20, seed: 1), second = Self.sample(2 << 20, seed: 2)
        let data = first + second
        let blob = [UInt8](repeating: 0xAA, count: 100) + Compression.gzip(first) + Compression.gzip(second, level: 9)
        try Data(blob).write(to: dir.file("blob"))
        let file = try FileByteStream(path: dir.file("blob").path, offset: 100, length: Int64(blob.count - 100))
        let checkpoints = GzipCheckpoints(file: file, span: 256 << 10)

        // A full pass records checkpoints; the end is the end.
        #expect(try readAll(checkpoints.stream(from: 0), limit: .max) == data)
        #expect(checkpoints.count > 10, "\(checkpoints.count) checkpoints")
        let recorded = checkpoints.count

        var generator = SystemRandomNumberGenerator()
        let offsets = [0, 1, 255 << 10, first.count - 1, first.count, first.count + 1, data.count - 10, data.count]
            + (0..<25).map { _ in Int.random(in: 0..<data.count, using: &generator) }
        for offset in offsets {
            let got = try readAll(checkpoints.stream(from: Int64(offset)), limit: 5000)
            #expect(got == Array(data[offset..<min(data.count, offset + 5000)]), "offset \(offset)")
        }
        #expect(checkpoints.count == recorded, "reads behind the furthest checkpoint add none")
    }

    /// Checkpoints are made by whatever reads first, and a later read past them adds more.
    @Test func checkpointsGrowWithReads() throws {
        let dir = TemporaryDirectory("strata-zran")
        let data = Self.sample(4 << 20, seed: 3)
        try Data(Compression.gzip(data)).write(to: dir.file("blob.gz"))
        let checkpoints = GzipCheckpoints(file: try FileByteStream(path: dir.file("blob.gz").path), span: 512 << 10)
        _ = try readAll(checkpoints.stream(from: 0), limit: 1 << 20)
        let early = checkpoints.count
        #expect(early >= 2)
        let tail = try readAll(checkpoints.stream(from: Int64(data.count - 1000)), limit: .max)
        #expect(tail == Array(data.suffix(1000)))
        #expect(checkpoints.count > early)
    }

    @Test func truncatedAndCorruptBlobsAreErrors() throws {
        let dir = TemporaryDirectory("strata-zran")
        let gz = Compression.gzip(Self.sample(1 << 20, seed: 4))
        try Data(gz.prefix(gz.count / 2)).write(to: dir.file("cut.gz"))
        var corrupt = gz
        for i in stride(from: 200, to: corrupt.count - 100, by: 997) { corrupt[i] ^= 0x5A }
        try Data(corrupt).write(to: dir.file("bad.gz"))
        for name in ["cut.gz", "bad.gz"] {
            let checkpoints = GzipCheckpoints(file: try FileByteStream(path: dir.file(name).path))
            #expect(throws: StrataError.self) { _ = try readAll(checkpoints.stream(from: 0), limit: .max) }
        }
    }

    /// However far a blob inflates (a compression bomb), its checkpoints stay bounded; reads past
    /// the last one still work.
    @Test func checkpointsAreBounded() throws {
        let dir = TemporaryDirectory("strata-zran")
        let data = Self.sample(24 << 20, seed: 5)
        try Data(Compression.gzip(data, level: 1)).write(to: dir.file("big.gz"))
        let checkpoints = GzipCheckpoints(file: try FileByteStream(path: dir.file("big.gz").path), span: 64 << 10)
        #expect(try readAll(checkpoints.stream(from: 0), limit: .max).count == data.count)
        #expect(checkpoints.count == GzipCheckpoints.maxPoints, "24 MiB at one per 64 KiB would be 384")
        #expect(try readAll(checkpoints.stream(from: Int64(data.count - 10)), limit: .max) == Array(data.suffix(10)))
    }
}
