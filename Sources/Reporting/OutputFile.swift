import Foundation
import LayerIndex

/// Writes a report or baseline to a path the user named, in place.
///
/// Not `FileManager.createFile`: on Linux it writes a temporary file and renames it over the
/// destination, which turns `--output /dev/null` (or a FIFO) into a regular file and breaks
/// every program on the machine that needs `/dev/null`.
public enum OutputFile {
    public static func write(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StrataError("cannot write: \(String(cString: strerror(errno)))", path: path)
        }
        defer { close(fd) }
        var written = 0
        try data.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StrataError("cannot write: \(String(cString: strerror(errno)))", path: path)
                }
                written += n
            }
        }
    }
}
