import LayerIndex

/// A stream that lets its first bytes be looked at before they are read (magic-byte sniffing).
public final class PeekableStream: ByteStream {
    private let source: ByteStream
    private var head: [UInt8] = []
    private var headPosition = 0

    public init(_ source: ByteStream) { self.source = source }

    /// Returns up to `count` first bytes without consuming them.
    public func peek(_ count: Int) throws -> [UInt8] {
        while head.count < count {
            var chunk = [UInt8](repeating: 0, count: count - head.count)
            let n = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            head.append(contentsOf: chunk[0..<n])
        }
        return Array(head.prefix(count))
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if headPosition < head.count {
            let n = min(buffer.count, head.count - headPosition)
            head.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + headPosition, byteCount: n)
            }
            headPosition += n
            if headPosition == head.count { head = []; headPosition = 0 }
            return n
        }
        return try source.read(into: buffer)
    }
}

/// Chooses a decompressor from the magic bytes (authoritative) and the media type (a hint).
public enum Decompression {
    public static let gzipMagic: [UInt8] = [0x1f, 0x8b]
    public static let zstdMagic: [UInt8] = [0x28, 0xb5, 0x2f, 0xfd]

    /// The compression the bytes themselves show.
    public static func sniff(_ head: [UInt8]) -> LayerCompression {
        if head.starts(with: gzipMagic) { return .gzip }
        if head.starts(with: zstdMagic) { return .zstd }
        return .none
    }

    /// The compression a layer media type declares.
    public static func compression(forMediaType mediaType: String) -> LayerCompression {
        let m = mediaType.lowercased()
        if m.hasSuffix("+gzip") || m.hasSuffix(".gzip") || m.hasSuffix("tar.gz") { return .gzip }
        if m.hasSuffix("+zstd") || m.hasSuffix(".zstd") { return .zstd }
        return .none
    }

    /// Wraps `source` in the decompressor its magic bytes call for (plain tar passes through).
    /// `digestVerified`: a SHA-256 over these bytes (or their output) is checked, so gzip's own
    /// CRC-32 need not be computed.
    public static func decompress(_ source: ByteStream, name: String, digestVerified: Bool = false) throws
        -> (ByteStream, LayerCompression) {
        let peekable = PeekableStream(source)
        let kind = sniff(try peekable.peek(4))
        switch kind {
        case .gzip: return (try GzipStream(peekable, name: name, checkCRC: !digestVerified), .gzip)
        case .zstd: return (try ZstdStream(peekable, name: name), .zstd)
        case .none: return (peekable, .none)
        }
    }
}
