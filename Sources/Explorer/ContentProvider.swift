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
            if bytes.count < limit { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk.prefix(limit - bytes.count))) }
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
            do { try handle.write(contentsOf: Data(bytes: chunk.baseAddress!, count: chunk.count)) } catch { failure = error }
        }
        if let failure { throw StrataError("write failed: \(failure)", path: destination.path) }
        return size
    }

    /// Finds the member and hands its content to `sink`; returns the member's size. Layers whose
    /// blob is a local file are read from the nearest known point (`LayerFileAccess`); others
    /// (registry, zstd) are streamed from the start.
    func find(layer index: Int, path: String, sink: (UnsafeRawBufferPointer) -> Void) throws -> Int64 {
        guard let descriptor = layers.first(where: { $0.index == index }) else {
            throw StrataError("no such layer", image: source.reference, layer: index)
        }
        do {
            let size: Int64?
            if let access = try access(to: descriptor) {
                size = try access.find(path: path, sink: sink)
            } else {
                size = try Self.walk(TarReader(try source.openLayer(descriptor)), to: path, sink: sink)
            }
            if let size { return size }
        } catch let error as StrataError {
            throw error.with(image: source.reference, layer: index, layerDigest: descriptor.digest, path: path)
        }
        throw StrataError("file not found in layer", image: source.reference, layer: index, layerDigest: descriptor.digest, path: path)
    }

    /// Reads a tar on to the first regular member at `path` (a sequential read's choice when a
    /// layer holds a path twice); nil at the end. The reader's stream starts at offset `base` of
    /// the tar. `passing` sees every regular member read over: its normalised path and the offset
    /// of its first header block. Names are the index's (`TarReader` escapes invalid UTF-8 the same way).
    static func walk(_ reader: TarReader, from base: Int64 = 0, to path: String, sink: (UnsafeRawBufferPointer) -> Void,
                     passing: (String, Int64) -> Void = { _, _ in }) throws -> Int64? {
        while let member = try reader.next() {
            guard member.kind == .regular, let name = PathNormalizer.normalize(member.name) else { continue }
            passing(name, base + member.headerOffset)
            if name == path {
                try reader.readContent { sink($0) }
                return member.size
            }
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
