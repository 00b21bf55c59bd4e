import CSQLite
import Detection
import Foundation
import LayerIndex

/// The persistent cache of layer results, shared by every strata process on this machine.
///
/// Keys:
/// - a layer's index entries by its diff_id alone (the tar's content decides them);
/// - its secret matches by diff_id + the pipeline's ruleset key (rules and analysis version);
/// - the images scanned (reference, digests, layer diff_ids, time) and each finding's status
///   per image, so `strata where` can answer "where else did this key leak?".
///
/// Raw secret values are never stored: matches go through `Match.withoutSecret` (fingerprint,
/// positions, redacted preview).
///
/// Why the index is keyed apart from the matches although a rules change re-streams the layer
/// anyway: detection needs the file bytes, so when only the rules changed the job must still
/// decompress the whole layer, and the index falls out of that same pass for almost nothing (the
/// sha256 of each file is the only extra work). Reusing the stored index would save nothing
/// measurable, so a rules change simply re-runs the full pass and rewrites both rows. Keeping the
/// index under diff_id alone still pays off elsewhere: one index row serves every ruleset, and
/// `cachedContents(diffID:)` can show a layer's tree at once while its detection re-runs.
///
/// Safety: one connection per `ScanCache`, serialised by a lock; WAL journal (readers never block
/// the writer), a 30 s busy timeout for the other process's transaction, one `BEGIN IMMEDIATE`
/// transaction per layer so a SIGKILL leaves either the whole layer or nothing. A schema version
/// in `meta` drops and rebuilds tables from an older strata.
public final class ScanCache: @unchecked Sendable {
    /// Bump when the tables or the blob encodings change.
    public static let schemaVersion = 1

    /// The cache directory and database file.
    public let directory: URL
    public let databasePath: String

    let lock = NSLock()
    let db: SQLiteDatabase

    /// Opens (creating if needed) the cache in `directory`.
    public init(directory: URL) throws {
        self.directory = directory
        try CacheLocation.prepare(directory: directory)
        databasePath = directory.appendingPathComponent(CacheLocation.databaseName).path
        try CacheLocation.prepare(file: databasePath)
        var database = try SQLiteDatabase(path: databasePath)
        do {
            try ScanCache.configure(database, path: databasePath)
        } catch where database.isCorrupt {
            // Not a database (or a damaged one): it is only a cache, so set it aside and start
            // afresh rather than leave every later scan without one.
            database.close()
            let aside = databasePath + ".corrupt-\(Int(Date().timeIntervalSince1970))"
            try? FileManager.default.moveItem(atPath: databasePath, toPath: aside)
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
            try CacheLocation.prepare(file: databasePath)
            database = try SQLiteDatabase(path: databasePath)
            try ScanCache.configure(database, path: databasePath)
        }
        db = database
    }

    /// Opens the cache at its default location (`CacheLocation.directory()`).
    public static func openDefault(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ScanCache {
        try ScanCache(directory: CacheLocation.directory(environment: environment))
    }

    private static func configure(_ db: SQLiteDatabase, path databasePath: String) throws {
        // Switching to WAL takes an exclusive lock and does not wait for the busy handler: when
        // two processes open a new cache at once, one is told "locked". Retry for a few seconds.
        var attempt = 0
        while true {
            do {
                try db.execute("PRAGMA journal_mode=WAL")
                break
            } catch where db.isBusy && attempt < 100 {
                attempt += 1
                usleep(useconds_t(10_000 + 1_000 * min(attempt, 40)))
            }
        }
        try db.execute("PRAGMA synchronous=NORMAL")
        try db.transaction {
            try db.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            let read = try db.prepare("SELECT value FROM meta WHERE key = 'schema_version'")
            let current = try read.step() ? read.string(0).flatMap { Int($0) } : nil
            read.reset() // an active statement would lock the tables dropped below
            if current != ScanCache.schemaVersion {
                try db.execute("""
                    DROP TABLE IF EXISTS layer_index;
                    DROP TABLE IF EXISTS layer_matches;
                    DROP TABLE IF EXISTS image_findings;
                    DROP TABLE IF EXISTS images;
                    """)
            }
            try db.execute("""
                CREATE TABLE IF NOT EXISTS layer_index(
                    diff_id TEXT PRIMARY KEY, entries BLOB NOT NULL, entry_count INTEGER NOT NULL,
                    stored_at REAL NOT NULL, used_at REAL NOT NULL);
                CREATE TABLE IF NOT EXISTS layer_matches(
                    diff_id TEXT NOT NULL, ruleset TEXT NOT NULL, matches BLOB NOT NULL,
                    match_count INTEGER NOT NULL, stored_at REAL NOT NULL, used_at REAL NOT NULL,
                    PRIMARY KEY(diff_id, ruleset));
                CREATE TABLE IF NOT EXISTS images(
                    id INTEGER PRIMARY KEY, reference TEXT NOT NULL, format TEXT NOT NULL,
                    manifest_digest TEXT, config_digest TEXT NOT NULL, diff_ids TEXT NOT NULL,
                    ruleset TEXT, scanned_at REAL NOT NULL, UNIQUE(reference, config_digest));
                CREATE TABLE IF NOT EXISTS image_findings(
                    image_id INTEGER NOT NULL, fingerprint TEXT NOT NULL, rule TEXT NOT NULL,
                    severity TEXT NOT NULL, status TEXT NOT NULL, source TEXT NOT NULL,
                    layer INTEGER, layer_digest TEXT, path TEXT, line INTEGER, col INTEGER, field TEXT,
                    removed_in_layer INTEGER, preview TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS image_findings_fingerprint ON image_findings(fingerprint);
                CREATE INDEX IF NOT EXISTS image_findings_image ON image_findings(image_id);
                """)
            if current != ScanCache.schemaVersion {
                try db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', ?)")
                    .bind(1, String(ScanCache.schemaVersion)).run()
            }
        }
        // SQLite creates -wal and -shm with the database's mode; make sure of it anyway.
        try? CacheLocation.prepare(file: databasePath)
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    static var now: Double { Date().timeIntervalSince1970 }

    // MARK: Layers

    /// A layer's results from the cache, re-labelled for `layer` (the same diff_id may sit at a
    /// different position in another image). Nil on a miss: no index, or no matches for this ruleset.
    public func layerResult(for layer: LayerDescriptor, ruleset: String) -> LayerResult? {
        let key = layer.diffID.description
        let blobs: (entries: [UInt8], matches: [UInt8])? = withLock {
            do {
                let index = try db.prepare("SELECT entries FROM layer_index WHERE diff_id = ?").bind(1, key)
                guard try index.step() else { return nil }
                let entries = index.blob(0)
                index.reset()
                let matches = try db.prepare("SELECT matches FROM layer_matches WHERE diff_id = ? AND ruleset = ?")
                    .bind(1, key).bind(2, ruleset)
                guard try matches.step() else { return nil }
                let matchBlob = matches.blob(0)
                matches.reset()
                // Last use drives `cache prune`; a failure here (another writer) is harmless.
                let now = ScanCache.now
                try? db.prepare("UPDATE layer_index SET used_at = ? WHERE diff_id = ?").bind(1, now).bind(2, key).run()
                try? db.prepare("UPDATE layer_matches SET used_at = ? WHERE diff_id = ? AND ruleset = ?")
                    .bind(1, now).bind(2, key).bind(3, ruleset).run()
                return (entries, matchBlob)
            } catch {
                return nil
            }
        }
        // Decode outside the lock: other workers can read meanwhile.
        guard let blobs, let decoded = EntryCodec.decode(blobs.entries),
              let stored = try? JSONDecoder().decode([StoredMatch].self, from: Data(blobs.matches)) else { return nil }
        let matches = stored.map { FileMatch(layer: layer.index, path: $0.path, match: $0.match) }
        return LayerResult(contents: LayerContents(layer: layer, entries: decoded.entries, problems: decoded.problems),
                           matches: matches, fromCache: true, bytesRead: 0)
    }

    /// A layer's index entries alone (any ruleset), or nil.
    public func cachedContents(for layer: LayerDescriptor) -> LayerContents? {
        let blob: [UInt8]? = withLock {
            guard let statement = try? db.prepare("SELECT entries FROM layer_index WHERE diff_id = ?")
                .bind(1, layer.diffID.description), (try? statement.step()) == true else { return nil }
            return statement.blob(0)
        }
        guard let blob, let decoded = EntryCodec.decode(blob) else { return nil }
        return LayerContents(layer: layer, entries: decoded.entries, problems: decoded.problems)
    }

    /// Stores one layer's complete results in one transaction. Secrets are stripped here, whatever
    /// the caller passes.
    public func store(_ result: LayerResult, ruleset: String) throws {
        let key = result.contents.layer.diffID.description
        let entries = EntryCodec.encode(entries: result.contents.entries, problems: result.contents.problems)
        let stored = result.matches.map { StoredMatch(path: $0.path, match: $0.match.withoutSecret) }
        let matches = Array(try JSONEncoder().encode(stored))
        try withLock {
            try db.transaction {
                let now = ScanCache.now
                try db.prepare("""
                    INSERT OR REPLACE INTO layer_index(diff_id, entries, entry_count, stored_at, used_at)
                    VALUES(?, ?, ?, ?, ?)
                    """).bind(1, key).bind(2, blob: entries).bind(3, result.contents.entries.count)
                    .bind(4, now).bind(5, now).run()
                try db.prepare("""
                    INSERT OR REPLACE INTO layer_matches(diff_id, ruleset, matches, match_count, stored_at, used_at)
                    VALUES(?, ?, ?, ?, ?, ?)
                    """).bind(1, key).bind(2, ruleset).bind(3, blob: matches).bind(4, stored.count)
                    .bind(5, now).bind(6, now).run()
            }
        }
    }

    /// True when the layer's results for this ruleset are cached (no decoding).
    public func contains(diffID: Digest, ruleset: String) -> Bool {
        withLock {
            guard let statement = try? db.prepare("""
                SELECT 1 FROM layer_matches JOIN layer_index USING(diff_id) WHERE diff_id = ? AND ruleset = ?
                """).bind(1, diffID.description).bind(2, ruleset) else { return false }
            return (try? statement.step()) == true
        }
    }
}

/// A match as the cache keeps it: the layer position is not stored (it depends on the image).
struct StoredMatch: Codable {
    var path: String
    var match: Match
}
