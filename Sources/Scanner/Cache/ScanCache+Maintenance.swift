import Foundation
import LayerIndex

/// What the cache holds, for `strata cache stats`.
public struct CacheStats: Codable, Sendable, Hashable {
    public var directory: String
    /// Layers with a cached index, and (layer, ruleset) pairs with cached matches.
    public var layers: Int
    public var layerResults: Int
    /// Distinct rulesets with cached matches.
    public var rulesets: Int
    public var entries: Int64
    public var matches: Int64
    public var images: Int
    public var findings: Int
    /// Bytes on disk: the database plus its WAL.
    public var bytesOnDisk: Int64
    /// Oldest and newest last use of a layer (seconds since 1970), nil when empty.
    public var oldestUse: Double?
    public var newestUse: Double?
}

/// What `strata cache prune` removed.
public struct PruneResult: Codable, Sendable, Hashable {
    public var layers: Int
    public var layerResults: Int
    public var images: Int
    public var bytesBefore: Int64
    public var bytesAfter: Int64
}

extension ScanCache {
    public func stats() throws -> CacheStats {
        try withLock {
            func scalarInt(_ sql: String) throws -> Int64 {
                let statement = try db.prepare(sql)
                return try statement.step() ? statement.int(0) : 0
            }
            let range = try db.prepare("SELECT MIN(used_at), MAX(used_at) FROM layer_index")
            _ = try range.step()
            return CacheStats(
                directory: directory.path,
                layers: Int(try scalarInt("SELECT COUNT(*) FROM layer_index")),
                layerResults: Int(try scalarInt("SELECT COUNT(*) FROM layer_matches")),
                rulesets: Int(try scalarInt("SELECT COUNT(DISTINCT ruleset) FROM layer_matches")),
                entries: try scalarInt("SELECT COALESCE(SUM(entry_count), 0) FROM layer_index"),
                matches: try scalarInt("SELECT COALESCE(SUM(match_count), 0) FROM layer_matches"),
                images: Int(try scalarInt("SELECT COUNT(*) FROM images")),
                findings: Int(try scalarInt("SELECT COUNT(*) FROM image_findings")),
                bytesOnDisk: bytesOnDisk(),
                oldestUse: range.isNull(0) ? nil : range.double(0),
                newestUse: range.isNull(1) ? nil : range.double(1))
        }
    }

    /// Removes layers not used, and images not scanned, for `age` seconds; with `keepRuleset`,
    /// also the matches of every other ruleset (they can never be hit again). Then compacts.
    public func prune(olderThan age: TimeInterval, keepRuleset: String? = nil) throws -> PruneResult {
        let before = bytesOnDisk()
        let cutoff = ScanCache.now - age
        let counts: (Int, Int, Int) = try withLock {
            try db.transaction {
                try db.prepare("DELETE FROM layer_matches WHERE used_at < ?").bind(1, cutoff).run()
                var results = db.changes
                if let keepRuleset {
                    try db.prepare("DELETE FROM layer_matches WHERE ruleset <> ?").bind(1, keepRuleset).run()
                    results += db.changes
                }
                try db.prepare("DELETE FROM layer_index WHERE used_at < ?").bind(1, cutoff).run()
                let layers = db.changes
                // Matches without an index row can never be hit: drop them too.
                try db.execute("DELETE FROM layer_matches WHERE diff_id NOT IN (SELECT diff_id FROM layer_index)")
                results += db.changes
                try db.prepare("DELETE FROM image_findings WHERE image_id IN (SELECT id FROM images WHERE scanned_at < ?)")
                    .bind(1, cutoff).run()
                try db.prepare("DELETE FROM images WHERE scanned_at < ?").bind(1, cutoff).run()
                return (layers, results, db.changes)
            }
        }
        CompiledDatabaseFiles(cacheDirectory: directory).remove(unusedSince: cutoff)
        compact()
        return PruneResult(layers: counts.0, layerResults: counts.1, images: counts.2,
                           bytesBefore: before, bytesAfter: bytesOnDisk())
    }

    /// Empties the cache (the file stays, so another running strata keeps a valid database).
    public func clear() throws -> PruneResult {
        let before = bytesOnDisk()
        let counts: (Int, Int, Int) = try withLock {
            try db.transaction {
                try db.execute("DELETE FROM layer_index")
                let layers = db.changes
                try db.execute("DELETE FROM layer_matches")
                let results = db.changes
                try db.execute("DELETE FROM image_findings")
                try db.execute("DELETE FROM images")
                return (layers, results, db.changes)
            }
        }
        CompiledDatabaseFiles(cacheDirectory: directory).remove(unusedSince: nil)
        compact()
        return PruneResult(layers: counts.0, layerResults: counts.1, images: counts.2,
                           bytesBefore: before, bytesAfter: bytesOnDisk())
    }

    /// Returns freed pages to the file system. Skipped quietly when another process is busy with
    /// the database: the space is reused by later writes either way.
    private func compact() {
        withLock {
            try? db.execute("VACUUM")
            try? db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        try? CacheLocation.prepare(file: databasePath)
    }

    func bytesOnDisk() -> Int64 {
        ["", "-wal"].reduce(Int64(0)) { total, suffix in
            let size = (try? FileManager.default.attributesOfItem(atPath: databasePath + suffix)[.size] as? NSNumber)??.int64Value
            return total + (size ?? 0)
        }
    }
}
