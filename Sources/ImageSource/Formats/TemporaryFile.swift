import Foundation
import LayerIndex

/// A scratch file for the decompressed copy of a `.tar.gz` image archive. On Linux it is
/// unlinked as soon as it is created and reached through `/proc/self/fd`, so nothing is left
/// behind even when strata is interrupted; elsewhere it is removed when the value is released.
final class TemporaryFile: @unchecked Sendable {
    /// A path that opens the file (`/proc/self/fd/N` on Linux).
    let path: String
    private let fd: Int32
    private let namedPath: String?

    init(prefix: String) throws {
        let dir = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(dir)/\(prefix)-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw StrataError("cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))") }
        let created = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        self.fd = fd
        let procPath = "/proc/self/fd/\(fd)"
        if access(procPath, R_OK) == 0 {
            unlink(created)
            path = procPath
            namedPath = nil
        } else {
            path = created
            namedPath = created
        }
    }

    deinit {
        close(fd)
        if let namedPath { unlink(namedPath) }
    }

    /// Copies a stream into the file with large writes.
    func write(from stream: ByteStream) throws {
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
                    throw StrataError("cannot write a temporary file: \(String(cString: strerror(errno)))")
                }
                written += w
            }
        }
    }
}
