import Foundation
import ImageSource
import LayerIndex

/// Opens members of one layer whose blob is a local file without reading from the start each
/// time: an uncompressed tar is read at the member's offset; a gzip blob is inflated from the
/// nearest checkpoint before it (`GzipCheckpoints`). Member offsets are learnt as the tar is
/// walked, so opening a file the walk has passed costs only that file (plus at most one
/// checkpoint span of inflate); opening one further on walks on from where the last walk stopped.
///
/// Reads are not verified against the layer's digests (they never were: a file found early
/// ends its read long before the digest could be checked); the scan verifies every layer.
final class LayerFileAccess: @unchecked Sendable {
    private enum Reader {
        case plain(path: String, start: Int64, length: Int64)
        case gzip(GzipCheckpoints)
    }

    private let reader: Reader
    private let lock = NSLock()
    /// Regular members by normalised path: offset of the first header block (the first such
    /// member wins, as in a sequential read).
    private var members: [String: Int64] = [:]
    /// A layer of millions of tiny members must not grow this map without end: past the limit,
    /// members it had no room for are found by reading the layer from its start, as before.
    let maxRemembered: Int
    /// Set once a member was walked over without being remembered.
    private var forgotSome = false
    /// Where the next unwalked header starts, and whether the walk reached the end.
    private var walkedTo: Int64 = 0
    private var walkedAll = false

    /// Nil for a blob it cannot seek in (zstd): the caller streams instead.
    init?(blob: FileByteStream, maxRemembered: Int = 1_000_000) throws {
        self.maxRemembered = maxRemembered
        var head = [UInt8](repeating: 0, count: 4)
        let n = try head.withUnsafeMutableBytes { try blob.read(into: $0) }
        switch Decompression.sniff(Array(head.prefix(n))) {
        case .none: reader = .plain(path: blob.path, start: blob.rangeStart, length: blob.rangeLength)
        case .gzip: reader = .gzip(GzipCheckpoints(file: blob))
        case .zstd: return nil
        }
    }

    /// The uncompressed tar from `offset` on.
    private func stream(from offset: Int64) throws -> ByteStream {
        switch reader {
        case .plain(let path, let start, let length):
            return try FileByteStream(path: path, offset: start + min(offset, length), length: length - min(offset, length))
        case .gzip(let checkpoints):
            return try checkpoints.stream(from: offset)
        }
    }

    /// The first regular member at `path`, its content handed to `sink`; nil when the layer has none.
    func find(path: String, sink: (UnsafeRawBufferPointer) -> Void) throws -> Int64? {
        lock.lock()
        defer { lock.unlock() }
        if let start = members[path] {
            return try ImageSourceContentProvider.walk(TarReader(try stream(from: start)), from: start, to: path, sink: sink)
        }
        if !walkedAll {
            let reader = TarReader(try stream(from: walkedTo))
            let found = try ImageSourceContentProvider.walk(reader, from: walkedTo, to: path, sink: sink) { name, start in
                guard members[name] == nil else { return }
                if members.count < maxRemembered { members[name] = start } else { forgotSome = true }
            }
            if found != nil {
                // The next unwalked header: after the content just read and its padding to a block.
                walkedTo += (reader.position + 511) / 512 * 512
                return found
            }
            walkedAll = true
        }
        // Walked to the end without it: only a member the map had no room for can still be there.
        guard forgotSome else { return nil }
        return try ImageSourceContentProvider.walk(TarReader(try stream(from: 0)), to: path, sink: sink)
    }
}
