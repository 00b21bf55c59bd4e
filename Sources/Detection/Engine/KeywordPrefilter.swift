import CVectorscan
import Foundation

/// One Vectorscan block-mode database of every rule keyword (caseless literals). A scan reports
/// `(keywordID, endOffset)` hits; scratch space is pooled so several threads can scan at once.
final class KeywordPrefilter: @unchecked Sendable {
    private let database: OpaquePointer
    private var pool: [OpaquePointer] = []
    private let prototype: OpaquePointer
    private let lock = NSLock()
    /// Keyword byte lengths, by id.
    let lengths: [Int]

    /// `keywords`: literal and whether it must match exactly (else case is ignored). With a
    /// `store`, a database compiled earlier from the same keywords is loaded instead of compiled,
    /// and a fresh compile is saved there.
    init(keywords: [(String, Bool)], store: CompiledDatabaseStore? = nil) throws {
        precondition(!keywords.isEmpty)
        let key = store.map { _ in KeywordPrefilter.storeKey(keywords) }
        let db: OpaquePointer
        if let store, let key, let stored = store.load(key: key), let loaded = KeywordPrefilter.deserialize(stored) {
            db = loaded
        } else {
            db = try KeywordPrefilter.compile(keywords)
            if let store, let key, let bytes = KeywordPrefilter.serialize(db) { store.save(key: key, bytes: bytes) }
        }
        var scratch: OpaquePointer?
        guard hs_alloc_scratch(db, &scratch) == HS_SUCCESS, let scratch else {
            hs_free_database(db)
            throw DetectionError.vectorscan("cannot allocate scratch")
        }
        database = db
        prototype = scratch
        lengths = keywords.map { $0.0.utf8.count }
    }

    /// Compiles the keywords into one block-mode database.
    private static func compile(_ keywords: [(String, Bool)]) throws -> OpaquePointer {
        let patterns = keywords.map { KeywordPrefilter.escape($0.0) }
        let flags = keywords.map { $0.1 ? UInt32(0) : UInt32(HS_FLAG_CASELESS) }
        let ids = (0..<patterns.count).map { UInt32($0) }
        var cStrings = patterns.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var db: OpaquePointer?
        var compileError: UnsafeMutablePointer<hs_compile_error_t>?
        let rc = cStrings.withUnsafeMutableBufferPointer { strings -> hs_error_t in
            strings.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: strings.count) { exprs in
                hs_compile_multi(exprs, flags, ids, UInt32(patterns.count), UInt32(HS_MODE_BLOCK), nil, &db, &compileError)
            }
        }
        guard rc == HS_SUCCESS, let db else {
            let message = compileError.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "error \(rc)"
            if let compileError { hs_free_compile_error(compileError) }
            throw DetectionError.vectorscan(message)
        }
        return db
    }

    /// What a stored database is filed under: the library version, the mode and every keyword
    /// with its case flag, hashed.
    static func storeKey(_ keywords: [(String, Bool)]) -> String {
        var text = "vectorscan " + String(cString: hs_version()) + " block"
        for (keyword, exact) in keywords { text += (exact ? "\u{1E}=" : "\u{1E}~") + keyword }
        return "keywords-" + Redaction.sha256Hex(Data(text.utf8)).prefix(32)
    }

    private static func serialize(_ db: OpaquePointer) -> [UInt8]? {
        var bytes: UnsafeMutablePointer<CChar>?
        var length = 0
        guard hs_serialize_database(db, &bytes, &length) == HS_SUCCESS, let bytes else { return nil }
        defer { free(bytes) }
        return Array(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    /// A database from stored bytes; nil when Vectorscan refuses them (another version or CPU
    /// platform, or damage its own header checks catch).
    private static func deserialize(_ bytes: [UInt8]) -> OpaquePointer? {
        var db: OpaquePointer?
        let rc = bytes.withUnsafeBytes { raw in
            hs_deserialize_database(raw.baseAddress!.assumingMemoryBound(to: CChar.self), raw.count, &db)
        }
        guard rc == HS_SUCCESS else { return nil }
        return db
    }

    deinit {
        for s in pool { hs_free_scratch(s) }
        hs_free_scratch(prototype)
        hs_free_database(database)
    }

    /// A regex matching `literal` byte for byte.
    static func escape(_ literal: String) -> String {
        var out = ""
        for b in literal.utf8 {
            let c = Character(UnicodeScalar(b))
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) {
                out.append(c)
            } else {
                out += String(format: "\\x%02x", b)
            }
        }
        return out
    }

    private func borrowScratch() -> OpaquePointer? {
        lock.lock()
        if let s = pool.popLast() { lock.unlock(); return s }
        lock.unlock()
        var clone: OpaquePointer?
        return hs_clone_scratch(prototype, &clone) == HS_SUCCESS ? clone : nil
    }

    private func returnScratch(_ s: OpaquePointer) {
        lock.lock()
        pool.append(s)
        lock.unlock()
    }

    /// Every keyword hit in `bytes`, as (keyword id, end offset).
    func hits(in bytes: UnsafeRawBufferPointer) -> [(id: Int, end: Int)] {
        guard let base = bytes.baseAddress, bytes.count > 0, let scratch = borrowScratch() else { return [] }
        defer { returnScratch(scratch) }
        let collector = HitCollector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        // hs_scan takes a 32-bit length: scan huge inputs in overlapping blocks.
        let block = 1 << 30
        var start = 0
        while start < bytes.count {
            let length = min(block, bytes.count - start)
            collector.base = start
            collector.minimumEnd = start == 0 ? 0 : 256
            _ = hs_scan(database, base.advanced(by: start).assumingMemoryBound(to: CChar.self), UInt32(length), 0,
                        scratch, { id, _, to, _, ctx in
                            let c = Unmanaged<HitCollector>.fromOpaque(ctx!).takeUnretainedValue()
                            if Int(to) >= c.minimumEnd { c.hits.append((Int(id), c.base + Int(to))) }
                            return c.hits.count > 4_000_000 ? 1 : 0
                        }, context)
            if start + length >= bytes.count { break }
            start += length - 256
        }
        return collector.hits
    }
}

private final class HitCollector {
    var hits: [(id: Int, end: Int)] = []
    var base = 0
    var minimumEnd = 0
}
