import Detection
import Foundation
import LayerIndex

/// One place a secret was seen: an image scanned on this machine, where in it, and its status.
public struct SecretOccurrence: Codable, Sendable, Hashable {
    public var reference: String
    public var format: String
    public var manifestDigest: String?
    public var configDigest: String
    /// When the image was scanned (seconds since 1970).
    public var scannedAt: Double
    public var fingerprint: String
    public var rule: String
    public var severity: String
    public var status: String
    public var source: String
    public var layer: Int?
    public var layerDigest: String?
    public var path: String?
    public var line: Int?
    public var column: Int?
    public var field: String?
    public var removedInLayer: Int?
    /// Redacted preview, as the scan printed it.
    public var preview: String
}

extension ScanCache {
    /// Records a finished scan: which image (reference, manifest and config digests, layer
    /// diff_ids, time) and each finding's status in it, by fingerprint only. Re-scanning the same
    /// image replaces its earlier record. File references are stored as absolute paths so
    /// `strata where` names them unambiguously.
    public func recordImage(report: ScanReport, ruleset: String? = nil) throws {
        let image = report.image
        let reference = ScanCache.canonicalReference(image.reference)
        let diffIDs = image.layers.map { $0.diffID.description }.joined(separator: "\n")
        try withLock {
            try db.transaction {
                try db.prepare("""
                    INSERT INTO images(reference, format, manifest_digest, config_digest, diff_ids, ruleset, scanned_at)
                    VALUES(?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(reference, config_digest) DO UPDATE SET format = excluded.format,
                        manifest_digest = excluded.manifest_digest, diff_ids = excluded.diff_ids,
                        ruleset = excluded.ruleset, scanned_at = excluded.scanned_at
                    """).bind(1, reference).bind(2, image.format).bind(3, image.manifestDigest?.description)
                    .bind(4, image.configDigest.description).bind(5, diffIDs).bind(6, ruleset).bind(7, ScanCache.now).run()
                let lookup = try db.prepare("SELECT id FROM images WHERE reference = ? AND config_digest = ?")
                    .bind(1, reference).bind(2, image.configDigest.description)
                guard try lookup.step() else { throw db.error("image row vanished") }
                let id = lookup.int(0)
                try db.prepare("DELETE FROM image_findings WHERE image_id = ?").bind(1, id).run()
                let insert = try db.prepare("""
                    INSERT INTO image_findings(image_id, fingerprint, rule, severity, status, source, layer,
                        layer_digest, path, line, col, field, removed_in_layer, preview)
                    VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for finding in report.findings {
                    let location = finding.location
                    insert.bind(1, id).bind(2, finding.fingerprint).bind(3, finding.match.rule)
                        .bind(4, finding.severity.rawValue).bind(5, finding.status.rawValue)
                        .bind(6, location.source.rawValue).bind(7, location.layer)
                        .bind(8, location.layerDigest?.description).bind(9, location.path)
                        .bind(10, location.line).bind(11, location.column).bind(12, location.field)
                        .bind(13, finding.removedInLayer).bind(14, finding.match.preview)
                    try insert.run()
                }
            }
        }
    }

    /// Every recorded place where the secret with this fingerprint (`sha256:…`) appears, newest
    /// scan first, then by image, layer and path.
    public func occurrences(fingerprint: String) throws -> [SecretOccurrence] {
        try withLock {
            let query = try db.prepare("""
                SELECT i.reference, i.format, i.manifest_digest, i.config_digest, i.scanned_at,
                       f.fingerprint, f.rule, f.severity, f.status, f.source, f.layer, f.layer_digest,
                       f.path, f.line, f.col, f.field, f.removed_in_layer, f.preview
                FROM image_findings f JOIN images i ON i.id = f.image_id
                WHERE f.fingerprint = ?
                ORDER BY i.scanned_at DESC, i.reference, i.config_digest, f.layer, f.path, f.field, f.line, f.col
                """).bind(1, fingerprint.lowercased())
            var result: [SecretOccurrence] = []
            while try query.step() {
                func optionalInt(_ column: Int32) -> Int? { query.isNull(column) ? nil : Int(query.int(column)) }
                result.append(SecretOccurrence(
                    reference: query.string(0) ?? "", format: query.string(1) ?? "", manifestDigest: query.string(2),
                    configDigest: query.string(3) ?? "", scannedAt: query.double(4), fingerprint: query.string(5) ?? "",
                    rule: query.string(6) ?? "", severity: query.string(7) ?? "", status: query.string(8) ?? "",
                    source: query.string(9) ?? "", layer: optionalInt(10), layerDigest: query.string(11),
                    path: query.string(12), line: optionalInt(13), column: optionalInt(14), field: query.string(15),
                    removedInLayer: optionalInt(16), preview: query.string(17) ?? ""))
            }
            return result
        }
    }

    /// The fingerprint strata gives a secret: `sha256:` and the hex of its bytes.
    public static func fingerprint(ofSecret secret: [UInt8]) -> String {
        "sha256:" + SHA256Hasher.hex(of: secret)
    }

    /// File-system references become absolute paths; registry references stay as given.
    static func canonicalReference(_ reference: String) -> String {
        var path = reference
        for prefix in ["docker-archive:", "oci-archive:", "oci:", "dir:"] where path.hasPrefix(prefix) {
            path.removeFirst(prefix.count)
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            return FileManager.default.fileExists(atPath: absolute) ? prefix + absolute : reference
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return FileManager.default.fileExists(atPath: absolute) ? absolute : reference
    }
}
