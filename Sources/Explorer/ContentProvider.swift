import Detection
import Foundation
import ImageSource
import LayerIndex

/// A file's bytes as one layer stored them, bounded for display.
public struct FileContent: Sendable, Equatable {
    public var bytes: [UInt8]
    /// The file's full size in the layer.
    public var size: Int64
    /// How many of the file's bytes `bytes` stands for (differs from `bytes.count` once decoded).
    public var bytesRead: Int
    /// Set when `bytes` were decoded from UTF-16 for display ("UTF-16LE").
    public var decodedFrom: String?
    public var truncated: Bool { Int64(bytesRead) < size }

    public init(bytes: [UInt8], size: Int64) {
        self.bytes = bytes
        self.size = size
        bytesRead = bytes.count
    }

    /// UTF-16 text as UTF-8, as the scanner matched it (so lines, columns and match offsets line
    /// up); any other content unchanged.
    public func decodedForDisplay() -> FileContent {
        guard decodedFrom == nil, let order = UTF16Text.detect(Array(bytes.prefix(8192))) else { return self }
        var decoded = self
        decoded.bytes = UTF16Text.utf8(bytes, order: order)
        decoded.decodedFrom = order.rawValue
        return decoded
    }
}

/// Reads a file as it was in one layer, even when a later layer deleted it. The explorer asks
/// for content only when the user opens a file; the layer is streamed again to find the member.
public protocol FileContentProvider: Sendable {
    /// At most `limit` bytes of `path` in `layer`.
    func read(layer: Int, path: String, limit: Int) throws -> FileContent
    /// Writes the whole file to `destination`; returns the bytes written.
    func extract(layer: Int, path: String, to destination: URL) throws -> Int64
}

/// Reads members by streaming a layer of an `ImageSource` through a small tar walker.
public final class ImageSourceContentProvider: FileContentProvider, @unchecked Sendable {
    let source: ImageSource
    let layers: [LayerDescriptor]

    public init(source: ImageSource, layers: [LayerDescriptor]) {
        self.source = source
        self.layers = layers
    }

    public func read(layer: Int, path: String, limit: Int) throws -> FileContent {
        var bytes: [UInt8] = []
        let size = try find(layer: layer, path: path) { chunk in
            if bytes.count < limit { bytes.append(contentsOf: chunk.prefix(limit - bytes.count)) }
        }
        return FileContent(bytes: bytes, size: size)
    }

    public func extract(layer: Int, path: String, to destination: URL) throws -> Int64 {
        guard !FileManager.default.fileExists(atPath: destination.path) else {
            throw StrataError("refusing to overwrite an existing file", path: destination.path)
        }
        guard FileManager.default.createFile(atPath: destination.path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: destination.path) else {
            throw StrataError("cannot create file", path: destination.path)
        }
        defer { try? handle.close() }
        var failure: Error?
        let size = try find(layer: layer, path: path) { chunk in
            guard failure == nil else { return }
            do { try handle.write(contentsOf: Data(chunk)) } catch { failure = error }
        }
        if let failure { throw StrataError("write failed: \(failure)", path: destination.path) }
        return size
    }

    /// Finds the member and hands its content to `sink`; returns the member's size. Layers whose
    /// blob is a local file are read from the nearest known point (`LayerFileAccess`); others
    /// (registry, zstd) are streamed from the start.
    func find(layer index: Int, path: String, sink: (ArraySlice<UInt8>) -> Void) throws -> Int64 {
        guard let descriptor = layers.first(where: { $0.index == index }) else {
            throw StrataError("no such layer", image: source.reference, layer: index)
        }
        do {
            let size: Int64?
            if let access = try access(to: descriptor) {
                size = try access.find(path: path, sink: sink)
            } else {
                size = try Self.walk(TarWalker(stream: try source.openLayer(descriptor)), to: path, sink: sink)
            }
            if let size { return size }
        } catch let error as StrataError {
            throw error.with(image: source.reference, layer: index, layerDigest: descriptor.digest, path: path)
        }
        throw StrataError("file not found in layer", image: source.reference, layer: index, layerDigest: descriptor.digest, path: path)
    }

    /// Walks a tar from where `walker` stands to the first regular member at `path`; nil at the end.
    /// `passing` sees every regular member walked over, with the offset of its first header block.
    static func walk(_ start: TarWalker, to path: String, sink: (ArraySlice<UInt8>) -> Void,
                     passing: (String, Int64, Int64) -> Void = { _, _, _ in }) throws -> Int64? {
        var walker = start
        while let header = try walker.next() {
            let name = header.isRegular ? PathNormalizer.normalize(header.path) : nil
            if let name { passing(name, header.start, walker.position + (header.size + 511) / 512 * 512) }
            if name == path {
                try walker.readContent(size: header.size, sink: sink)
                return header.size
            }
            try walker.skip(size: header.size)
        }
        return nil
    }

    private let accessLock = NSLock()
    private var accessByLayer: [Int: LayerFileAccess] = [:]

    /// Random access to a layer's members when its blob is a local file (made on first use).
    private func access(to layer: LayerDescriptor) throws -> LayerFileAccess? {
        accessLock.lock()
        defer { accessLock.unlock() }
        if let known = accessByLayer[layer.index] { return known }
        guard let files = source as? LayerBlobFiles, let blob = try files.layerBlobFile(layer),
              let access = try LayerFileAccess(blob: blob) else { return nil }
        accessByLayer[layer.index] = access
        return access
    }
}

/// A minimal sequential tar reader (ustar, GNU long names, pax `path`): enough to pick one
/// member out of a layer stream without holding the layer in memory.
struct TarWalker {
    struct Header { var path: String; var size: Int64; var typeflag: UInt8
        /// Offset of the member's first header block (long-name and pax blocks included).
        var start: Int64
        var isRegular: Bool { typeflag == 0x30 || typeflag == 0 || typeflag == 0x37 }
    }

    let stream: ByteStream
    /// Offset in the tar of the next byte to read.
    private(set) var position: Int64
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// A walker over `stream`, which starts at offset `position` of the tar.
    init(stream: ByteStream, position: Int64 = 0) {
        self.stream = stream
        self.position = position
    }

    mutating func next() throws -> Header? {
        var longName: String?
        let start = position
        while true {
            guard let block = try readBlock() else { return nil }
            if block.allSatisfy({ $0 == 0 }) { return nil }
            let size = try Self.octal(block[124..<136])
            let typeflag = block[156]
            var name = Self.string(block[0..<100])
            let magic = Self.string(block[257..<263])
            if magic.hasPrefix("ustar") {
                let prefix = Self.string(block[345..<500])
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            switch typeflag {
            case UInt8(ascii: "L"):
                var data: [UInt8] = []
                try readContent(size: size) { data.append(contentsOf: $0) }
                longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
                continue
            case UInt8(ascii: "x"):
                var data: [UInt8] = []
                try readContent(size: size) { data.append(contentsOf: $0) }
                if let p = Self.paxPath(data) { longName = p }
                continue
            case UInt8(ascii: "g"):
                try skip(size: size)
                continue
            default:
                return Header(path: longName ?? name, size: size, typeflag: typeflag, start: start)
            }
        }
    }

    /// Passes over a member's content: a seek on a file, a read through on a decompressor.
    mutating func skip(size: Int64) throws {
        if let file = stream as? SkippableByteStream {
            let padded = (size + 511) / 512 * 512
            try file.skip(padded)
            position += padded
            return
        }
        try readContent(size: size) { _ in }
    }

    mutating func readContent(size: Int64, sink: (ArraySlice<UInt8>) -> Void) throws {
        var remaining = (size + 511) / 512 * 512
        var payload = size
        while remaining > 0 {
            let want = Int(min(Int64(buffer.count), remaining))
            let got = try readFully(count: want)
            guard got == want else { throw StrataError("truncated tar member") }
            let useful = Int(min(Int64(got), payload))
            if useful > 0 { sink(buffer[0..<useful]) }
            payload -= Int64(useful)
            remaining -= Int64(got)
        }
    }

    private mutating func readBlock() throws -> [UInt8]? {
        let got = try readFully(count: 512)
        if got == 0 { return nil }
        guard got == 512 else { throw StrataError("truncated tar header") }
        return Array(buffer[0..<512])
    }

    private mutating func readFully(count: Int) throws -> Int {
        var filled = 0
        while filled < count {
            let n = try buffer.withUnsafeMutableBytes { raw in
                try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled..<count]))
            }
            if n == 0 { break }
            filled += n
        }
        position += Int64(filled)
        return filled
    }

    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    static func octal(_ bytes: ArraySlice<UInt8>) throws -> Int64 {
        if let first = bytes.first, first & 0x80 != 0 {
            // base-256 (GNU) for large sizes
            var value: Int64 = Int64(first & 0x7F)
            for b in bytes.dropFirst() { value = value << 8 | Int64(b) }
            return value
        }
        var value: Int64 = 0
        for b in bytes {
            if b == 0 || b == 0x20 { if value > 0 { break } else { continue } }
            guard b >= 0x30 && b <= 0x37 else { throw StrataError("bad tar header number") }
            value = value * 8 + Int64(b - 0x30)
        }
        return value
    }

    static func paxPath(_ data: [UInt8]) -> String? {
        var rest = data[...]
        while let space = rest.firstIndex(of: 0x20) {
            guard let length = Int(String(decoding: rest[rest.startIndex..<space], as: UTF8.self)), length > 0,
                  rest.startIndex + length <= rest.endIndex else { return nil }
            let record = rest[(space + 1)..<(rest.startIndex + length - 1)]
            if let eq = record.firstIndex(of: UInt8(ascii: "=")), String(decoding: record[record.startIndex..<eq], as: UTF8.self) == "path" {
                return String(decoding: record[(eq + 1)...], as: UTF8.self)
            }
            rest = rest[(rest.startIndex + length)...]
        }
        return nil
    }
}
