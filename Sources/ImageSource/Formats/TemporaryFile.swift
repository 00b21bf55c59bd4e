import Foundation
import LayerIndex

/// A file in the temp directory, removed when the value is released. Used for the
/// decompressed copy of a `.tar.gz` image archive.
final class TemporaryFile: @unchecked Sendable {
    let path: String

    init(prefix: String) throws {
        let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(dir)/\(prefix)-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw StrataError("cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))") }
        close(fd)
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    deinit { unlink(path) }

    /// Copies a stream into the file with large writes.
    func write(from stream: ByteStream) throws {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { throw StrataError("cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try stream.read(into: buffer)
            if n == 0 { return }
            var written = 0
            while written < n {
                let w = Foundation.write(fd, buffer.baseAddress! + written, n - written)
                if w < 0 {
                    if errno == EINTR { continue }
                    throw StrataError("cannot write \(path): \(String(cString: strerror(errno)))")
                }
                written += w
            }
        }
    }
}
