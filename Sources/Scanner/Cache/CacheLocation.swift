import Foundation
import LayerIndex

/// Where the persistent cache lives: `$STRATA_CACHE_DIR`, else `$XDG_CACHE_HOME/strata`,
/// else `~/.cache/strata`. The directory is kept at mode 0700 and its files at 0600: layer
/// indexes and finding locations say a lot about what an organisation runs.
public enum CacheLocation {
    /// The database file's name inside the cache directory.
    public static let databaseName = "cache.db"

    /// The cache directory for an environment (defaults to this process's).
    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit = environment["STRATA_CACHE_DIR"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("strata")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/strata")
    }

    /// Creates the directory (and missing parents) with mode 0700, and tightens an existing one.
    static func prepare(directory: URL) throws {
        let path = directory.path
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw StrataError("cannot create the cache directory: \(error.localizedDescription)", path: path)
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw StrataError("the cache location is not a directory", path: path)
        }
        if info.st_mode & 0o777 != 0o700, info.st_uid == getuid() {
            _ = chmod(path, 0o700)
        }
    }

    /// Creates the file with mode 0600 if missing (SQLite gives its -wal and -shm files the
    /// database file's mode), and tightens existing ones.
    ///
    /// Only path-based calls on an existing file: POSIX record locks belong to the process, and
    /// closing *any* descriptor of the database file drops every lock SQLite holds on it, which
    /// lets another process check-point and delete a WAL that still has our commits in it.
    static func prepare(file path: String) throws {
        var info = stat()
        if stat(path, &info) != 0 {
            let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 {
                close(fd)
            } else if errno != EEXIST {
                throw StrataError("cannot create the cache file: \(String(cString: strerror(errno)))", path: path)
            }
        }
        for candidate in [path, path + "-wal", path + "-shm", path + "-journal"] {
            if stat(candidate, &info) == 0, info.st_mode & 0o777 != 0o600 { _ = chmod(candidate, 0o600) }
        }
    }
}
