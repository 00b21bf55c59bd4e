import ArgumentParser
import Foundation
import LayerIndex
import Scanner

/// The cache options every command takes: `--no-cache` and `--cache-dir`.
/// Use `@OptionGroup var cacheOptions: CacheOptions` and `cacheOptions.open()`.
struct CacheOptions: ParsableArguments {
    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the persistent layer cache.")
    var noCache = false

    @Option(name: .customLong("cache-dir"), help: ArgumentHelp(
        "Cache directory (default: $STRATA_CACHE_DIR, else $XDG_CACHE_HOME/strata, else ~/.cache/strata).",
        valueName: "dir"))
    var cacheDirectory: String?

    /// The cache directory these options name.
    var directory: URL {
        cacheDirectory.map { URL(fileURLWithPath: $0) } ?? CacheLocation.directory()
    }

    /// Where compiled keyword databases are kept, or nil with `--no-cache`.
    var compiledDatabaseStore: CompiledDatabaseFiles? {
        noCache ? nil : CompiledDatabaseFiles(cacheDirectory: directory)
    }

    /// The cache for a scan, or nil with `--no-cache`. A cache that cannot be opened (read-only
    /// home, corrupt file) is reported on stderr once and the scan goes on without it.
    func open() -> ScanCache? {
        if noCache { return nil }
        do {
            return try ScanCache(directory: directory)
        } catch {
            FileHandle.standardError.write(Data("strata: warning: scanning without the cache: \(error)\n".utf8))
            return nil
        }
    }

    /// The cache for commands that exist to read it (`where`, `cache`): `--no-cache` is an error.
    func openRequired(for command: String) throws -> ScanCache {
        if noCache {
            throw StrataError("\(command) reads the cache; --no-cache leaves it nothing to read")
        }
        return try ScanCache(directory: directory)
    }
}
