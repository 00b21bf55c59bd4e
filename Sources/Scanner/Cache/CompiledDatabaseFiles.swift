import Detection
import Foundation
import ImageSource
import LayerIndex

/// Compiled keyword databases kept as files in the cache directory (`compiled/KEY.hsdb`, mode
/// 0600), so a cached re-scan does not spend its first milliseconds compiling the same keywords.
///
/// Each file is `STRATADB1` + the SHA-256 of the payload (hex) + the payload: a truncated or damaged
/// file is ignored (and replaced by the next compile), never handed to Vectorscan. Only the
/// keywords' compiled form is stored: no secret, no image data. Failures to read or write are
/// silent: the database is simply compiled again.
public struct CompiledDatabaseFiles: CompiledDatabaseStore {
    public let directory: URL
    static let magic = Array("STRATADB1".utf8)
    /// Larger files are not read (the built-in keywords compile to ~75 KB).
    static let sizeLimit = 64 << 20

    /// The store inside a cache directory.
    public init(cacheDirectory: URL) {
        directory = cacheDirectory.appendingPathComponent("compiled")
    }

    func path(_ key: String) -> String {
        // Keys are hex digests with a word prefix; anything else is refused rather than joined.
        let safe = key.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D }
        return safe && !key.isEmpty ? directory.appendingPathComponent(key + ".hsdb").path : ""
    }

    public func load(key: String) -> [UInt8]? {
        let path = path(key)
        guard !path.isEmpty, let stream = try? FileByteStream(path: path), stream.remaining <= Int64(Self.sizeLimit),
              let bytes = try? stream.readExactly(Int(stream.remaining)) else { return nil }
        let header = Self.magic.count + 64
        guard bytes.count > header, Array(bytes[0..<Self.magic.count]) == Self.magic else { return nil }
        let payload = Array(bytes[header...])
        guard SHA256Hasher.hex(of: payload) == String(decoding: bytes[Self.magic.count..<header], as: UTF8.self) else { return nil }
        // Last use, for `cache prune`.
        _ = utimes(path, nil)
        return payload
    }

    public func save(key: String, bytes: [UInt8]) {
        let path = path(key)
        guard !path.isEmpty, (try? CacheLocation.prepare(directory: directory)) != nil else { return }
        var file = Self.magic + Array(SHA256Hasher.hex(of: bytes).utf8) + bytes
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let written = file.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if written == file.count, rename(temporary, path) == 0 { return }
        unlink(temporary)
    }

    /// Removes stored databases not used since `cutoff` (seconds since 1970; all when nil).
    /// Returns how many were removed.
    @discardableResult
    func remove(unusedSince cutoff: Double?) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return 0 }
        var removed = 0
        for name in names where name.hasSuffix(".hsdb") || name.hasSuffix(".tmp") {
            let path = directory.appendingPathComponent(name).path
            var info = stat()
            guard stat(path, &info) == 0 else { continue }
            if let cutoff, Double(info.st_mtim.tv_sec) >= cutoff { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }
}
