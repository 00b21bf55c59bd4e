import Foundation
import LayerIndex

/// A stream that can move forward without reading (files). The tar reader uses it to pass over
/// member contents it does not need, e.g. when indexing an archive's members.
public protocol SkippableByteStream: ByteStream {
    /// Moves `count` bytes forward. Throws when that passes the end of the stream.
    func skip(_ count: Int64) throws
}

/// Reads a file, or one byte range of it, with `pread`: members of an uncompressed outer tar
/// (docker-archive, oci-archive) are read in place, never extracted.
public final class FileByteStream: SkippableByteStream {
    public let path: String
    /// Where the range began in the file, and how long it is (for re-opening parts of it).
    public let rangeStart: Int64
    public let rangeLength: Int64
    private let fd: Int32
    private var position: Int64
    private let end: Int64

    /// Opens `path`, limited to `length` bytes starting at `offset` (the whole file by default).
    public init(path: String, offset: Int64 = 0, length: Int64? = nil) throws {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw StrataError("cannot open: \(String(cString: strerror(errno)))", path: path)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw StrataError("cannot stat: \(message)", path: path)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw StrataError("is a directory, not a file", path: path)
        }
        let fileSize = Int64(info.st_size)
        let wanted = length ?? (fileSize - offset)
        guard offset >= 0, wanted >= 0, offset + wanted <= fileSize else {
            close(fd)
            throw StrataError("byte range \(offset)+\(wanted) lies outside the file (\(fileSize) bytes): the archive is truncated", path: path)
        }
        self.fd = fd
        self.position = offset
        self.end = offset + wanted
        rangeStart = offset
        rangeLength = wanted
    }

    deinit { close(fd) }

    /// Bytes left to read.
    public var remaining: Int64 { end - position }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = Int(min(Int64(buffer.count), end - position))
        guard want > 0, let base = buffer.baseAddress else { return 0 }
        while true {
            let n = pread(fd, base, want, off_t(position))
            if n < 0 {
                if errno == EINTR { continue }
                throw StrataError("read failed: \(String(cString: strerror(errno)))", path: path)
            }
            if n == 0 {
                throw StrataError("file ended early (expected \(end - position) more bytes): was it truncated while being read?", path: path)
            }
            position += Int64(n)
            return n
        }
    }

    public func skip(_ count: Int64) throws {
        guard count <= end - position else {
            position = end
            throw StrataError("unexpected end of data: wanted to skip \(count) bytes", path: path)
        }
        position += count
    }

    /// Reads exactly `count` bytes at the current position.
    public func readExactly(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        try out.withUnsafeMutableBytes { raw in
            while filled < count {
                let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
                if n == 0 { break }
                filled += n
            }
        }
        if filled < count { throw StrataError("unexpected end of data", path: path) }
        return out
    }
}
