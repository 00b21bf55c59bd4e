import LayerIndex

/// Helpers over any `ByteStream`.
public enum ByteStreams {
    /// Reads the whole stream into memory, refusing more than `limit` bytes (manifests, configs).
    public static func readAll(_ stream: ByteStream, limit: Int, what: @autoclosure () -> String, prefix: Int? = nil) throws -> [UInt8] {
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if let prefix, out.count >= prefix { return Array(out.prefix(prefix)) }
            let n = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
            if n == 0 { break }
            if out.count + n > limit {
                throw StrataError("\(what()) is larger than \(limit / (1024 * 1024)) MiB: refusing to load it")
            }
            out.append(contentsOf: chunk[0..<n])
        }
        return out
    }

    /// Reads and discards everything left in the stream (so digesting streams see their end).
    /// Returns the number of bytes discarded.
    @discardableResult
    public static func drain(_ stream: ByteStream) throws -> Int64 {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let n = try stream.read(into: buffer)
            if n == 0 { return total }
            total += Int64(n)
        }
    }
}

/// A stream over bytes already in memory.
public final class MemoryByteStream: ByteStream {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
        }
        position += n
        return n
    }
}
