import CSQLite
import Foundation
import LayerIndex

/// A thin wrapper over one sqlite3 connection. Not thread-safe by itself: `ScanCache` serialises
/// every use behind its lock (the connection is opened with `SQLITE_OPEN_NOMUTEX`).
final class SQLiteDatabase {
    private(set) var handle: OpaquePointer?
    let path: String

    init(path: String) throws {
        self.path = path
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw StrataError("cannot open the cache database: \(message)", path: path)
        }
        handle = db
        // Another strata process may hold the write lock for the length of one layer's transaction.
        sqlite3_busy_timeout(db, 30_000)
    }

    deinit { close() }

    func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    var lastMessage: String {
        guard let handle else { return "closed" }
        return String(cString: sqlite3_errmsg(handle))
    }

    func error(_ what: String) -> StrataError {
        StrataError("cache: \(what): \(lastMessage)", path: path)
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(message)
            throw StrataError("cache: \(text)", path: path)
        }
    }

    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error("prepare failed")
        }
        return SQLiteStatement(statement, database: self)
    }

    /// Runs `body` in a write transaction taken up front (`BEGIN IMMEDIATE`), so two processes
    /// never deadlock upgrading read locks; rolls back on any error.
    ///
    /// The busy timeout already waits for another process's transaction; a few retries cover the
    /// cases where SQLite reports busy without waiting (WAL recovery, a checkpoint in progress).
    func transaction<T>(_ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try execute("BEGIN IMMEDIATE")
            } catch where isBusy && attempt < 6 {
                usleep(useconds_t(20_000 * attempt))
                continue
            }
            do {
                let value = try body()
                try execute("COMMIT")
                return value
            } catch {
                let retry = isBusy && attempt < 6
                try? execute("ROLLBACK")
                if retry {
                    usleep(useconds_t(20_000 * attempt))
                    continue
                }
                throw error
            }
        }
    }

    /// True after an error that says another connection holds a lock.
    var isBusy: Bool {
        guard let handle else { return false }
        let code = sqlite3_errcode(handle) & 0xFF
        return code == SQLITE_BUSY || code == SQLITE_LOCKED
    }

    /// True after an error that says the file is not a database or is damaged.
    var isCorrupt: Bool {
        guard let handle else { return false }
        let code = sqlite3_errcode(handle) & 0xFF
        return code == SQLITE_NOTADB || code == SQLITE_CORRUPT
    }

    var changes: Int { Int(sqlite3_changes(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
}

/// One prepared statement; binds are 1-based, columns 0-based.
final class SQLiteStatement {
    private var statement: OpaquePointer?
    private unowned let database: SQLiteDatabase

    init(_ statement: OpaquePointer, database: SQLiteDatabase) {
        self.statement = statement
        self.database = database
    }

    deinit { sqlite3_finalize(statement) }

    @discardableResult
    func bind(_ index: Int32, _ value: String?) -> SQLiteStatement {
        if let value {
            sqlite3_bind_text(statement, index, value, -1, strata_sqlite_transient())
        } else {
            sqlite3_bind_null(statement, index)
        }
        return self
    }

    @discardableResult
    func bind(_ index: Int32, _ value: Int64?) -> SQLiteStatement {
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
        return self
    }

    @discardableResult
    func bind(_ index: Int32, _ value: Int?) -> SQLiteStatement {
        bind(index, value.map { Int64($0) })
    }

    @discardableResult
    func bind(_ index: Int32, _ value: Double) -> SQLiteStatement {
        sqlite3_bind_double(statement, index, value)
        return self
    }

    @discardableResult
    func bind(_ index: Int32, blob: [UInt8]) -> SQLiteStatement {
        _ = blob.withUnsafeBytes { raw in
            // A zero-length blob still needs a non-null pointer to be stored as a blob, not NULL.
            if raw.count == 0 {
                sqlite3_bind_zeroblob(statement, index, 0)
            } else {
                sqlite3_bind_blob(statement, index, raw.baseAddress, Int32(raw.count), strata_sqlite_transient())
            }
        }
        return self
    }

    /// Steps once: true when a row is available.
    func step() throws -> Bool {
        let rc = sqlite3_step(statement)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error("statement failed")
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws {
        _ = try step()
        reset()
    }

    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func int(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    func string(_ column: Int32) -> String? {
        guard let text = sqlite3_column_text(statement, column) else { return nil }
        return String(cString: text)
    }

    func blob(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard count > 0, let base = sqlite3_column_blob(statement, column) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: base, count: count))
    }
}
