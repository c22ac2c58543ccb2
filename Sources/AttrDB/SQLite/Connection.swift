import CSQLite

/// One connection to a SQLite database file: the only owner of a `sqlite3*` handle.
///
/// Opened with extended result codes, foreign keys on and a busy timeout, so a second process
/// writing the same file makes this one wait instead of failing.
///
/// ```swift
/// let db = try Connection(path: "attrdb.sqlite", access: .readWrite(create: true))
/// try db.transaction { try db.execute("INSERT INTO metric(name) VALUES ('logit_diff')") }
/// ```
final class Connection {
    /// How a connection may touch its file.
    public enum Access: Sendable, Equatable {
        case readOnly
        case readWrite(create: Bool)
        /// Read only, taking no locks and needing no `-shm` file (SQLite's `immutable=1`): the one way
        /// to read a WAL-mode file in a folder this process cannot write. Safe only while nobody
        /// writes the file.
        case immutable
    }

    let handle: OpaquePointer
    /// The path the connection was opened with (`:memory:` for an in-memory database).
    public let path: String
    public let access: Access
    /// How long a statement waits for another connection's lock before it fails with `SQLITE_BUSY`.
    public let busyTimeoutMilliseconds: Int32
    /// Keeps the authorizer's context alive as long as the connection (see ``restrictToReading()``).
    var authorizerContext: AnyObject?
    /// Keeps the progress handler's deadline alive as long as the connection (see ``interrupt(after:)``).
    var progressContext: AnyObject?
    /// How many statements this connection has compiled (`sqlite3_prepare_v3` calls): the
    /// statement cache's tests count them.
    public internal(set) var preparedStatementCount = 0
    /// Compiled statements of ``run(_:_:)``, ``scalar(_:_:)`` and ``forEachRow(_:_:_:)``, by SQL text.
    var statementCache = StatementCache(limit: Connection.statementCacheLimit)
    /// How many statements the cache keeps: more than the store's fixed SQL texts, so the hot ones
    /// are never evicted, and few enough that a caller passing ever new text does not grow memory.
    public static let statementCacheLimit = 64
    /// Statements waiting in the cache now.
    public var cachedStatementCount: Int { statementCache.count }

    /// Opens `path`; a failed open still closes the handle. `vfs` names a registered SQLite VFS
    /// (nil: the default one); the fault-injection tests open stores through theirs.
    public init(path: String, access: Access, busyTimeoutMilliseconds: Int32 = 60_000, vfs: String? = nil) throws {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch access {
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        case .readWrite(let create): flags |= SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)
        case .immutable: flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
        }
        var raw: OpaquePointer?
        let name = access == .immutable ? Connection.immutableURI(path) : path
        let code = sqlite3_open_v2(name, &raw, flags, vfs)
        guard let raw else {
            throw SQLiteError(extendedCode: code, message: String(cString: sqlite3_errstr(code)))
        }
        guard code == SQLITE_OK else {
            let error = SQLiteError(extendedCode: sqlite3_extended_errcode(raw), message: String(cString: sqlite3_errmsg(raw)))
            sqlite3_close_v2(raw)
            throw error
        }
        self.handle = raw
        self.path = path
        self.access = access
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        sqlite3_extended_result_codes(raw, 1)
        sqlite3_busy_timeout(raw, busyTimeoutMilliseconds)
        _ = attrdb_db_config_defensive(raw, 1)
        try execute("PRAGMA foreign_keys = ON")
        try SQLFunctions.register(on: self)
    }

    deinit {
        statementCache.finalizeAll()
        sqlite3_close_v2(handle)
    }

    /// `file:PATH?immutable=1`, with the characters a URI gives meaning to escaped.
    static func immutableURI(_ path: String) -> String { fileURI(path, query: "immutable=1") }

    /// `file:PATH?QUERY`, with the characters a URI gives meaning to escaped (`ATTACH` of a store
    /// read-only takes `mode=ro`).
    static func fileURI(_ path: String, query: String) -> String {
        var escaped = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0..<0x20, 0x7F...:
                escaped += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            default:
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        // "file://" would start an authority: a path beginning with "//" keeps one slash less.
        if escaped.hasPrefix("//") { escaped = "/" + escaped.drop { $0 == "/" } }
        return "file:" + escaped + "?" + query
    }

    /// Throws the connection's current error unless `code` is one of `accepted`.
    @discardableResult
    func check(_ code: Int32, sql: String? = nil, accepted: Set<Int32> = [SQLITE_OK]) throws -> Int32 {
        guard accepted.contains(code) else { throw lastError(code: code, sql: sql) }
        return code
    }

    func lastError(code: Int32, sql: String?) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        // sqlite3_errmsg may describe a later call; the code the caller saw is the one that counts.
        let useExtended = (extended & 0xFF) == (code & 0xFF) ? extended : code
        return SQLiteError(extendedCode: useExtended, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// A statement for `sql` from the connection's cache, compiled on first use. It goes back to the
    /// cache, reset and with its bindings cleared, when the caller lets go of it; the same text
    /// asked for again while one is in use (a nested query) gets a statement of its own.
    public func cachedStatement(_ sql: String) throws -> Statement {
        if let handle = statementCache.take(sql) {
            return Statement(handle: handle, connection: self, sql: sql, cached: true)
        }
        let statement = try prepare(sql)
        statement.isCached = true
        return statement
    }

    /// Takes back a cached statement its user let go of; false when the cache is full.
    func giveBack(_ handle: OpaquePointer, sql: String) -> Bool {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        return statementCache.put(handle, sql: sql)
    }

    /// Prepares one statement. Reuse it on hot paths: preparing costs more than stepping.
    public func prepare(_ sql: String) throws -> Statement {
        var raw: OpaquePointer?
        var trailing = ""
        let code = sql.withCString { text -> Int32 in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, &tail)
            if let tail { trailing = String(cString: tail) }
            return code
        }
        preparedStatementCount += 1
        try check(code, sql: sql)
        guard let raw else {
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "no statement in SQL text", sql: sql)
        }
        let statement = Statement(handle: raw, connection: self, sql: sql)
        if !Self.isBlank(trailing) {
            throw SQLiteError(extendedCode: SQLITE_MISUSE, message: "only one statement may be given at a time", sql: sql)
        }
        return statement
    }

    /// Whether SQL text holds no statement: only whitespace, semicolons and comments (`-- …` to
    /// the end of the line, `/* … */`, which SQLite lets run to the end of the text).
    static func isBlank(_ text: String) -> Bool {
        var rest = Substring(text)
        while let first = rest.first {
            if first.isWhitespace || first == ";" {
                rest = rest.dropFirst()
            } else if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                rest = rest.dropFirst(2)
                if let close = rest.range(of: "*/") { rest = rest[close.upperBound...] } else { return true }
            } else {
                return false
            }
        }
        return true
    }

    /// Prepares, binds and steps through `sql`, calling `row` for every result row.
    public func forEachRow(_ sql: String, _ arguments: [SQLValue] = [], _ row: (Statement) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        while try statement.step() { try row(statement) }
    }

    /// Runs a statement that returns no rows, with arguments.
    public func run(_ sql: String, _ arguments: [SQLValue] = []) throws {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// The first column of the first row, or nil when there is no row.
    public func scalar(_ sql: String, _ arguments: [SQLValue] = []) throws -> SQLValue? {
        let statement = try cachedStatement(sql)
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return statement.value(at: 0)
    }

    /// How a checkpoint treats readers and writers (`sqlite3_wal_checkpoint_v2`).
    public enum CheckpointMode: Sendable {
        /// Copies what no reader still needs; never waits.
        case passive
        /// Copies everything and empties the log to zero bytes; waits (busy timeout) for readers of the log.
        case truncate
    }

    /// Copies committed pages from the write-ahead log into the database file. Returns the frames
    /// in the log and how many of them are now in the database; `(-1, -1)` when not in WAL mode.
    @discardableResult
    public func checkpoint(_ mode: CheckpointMode, waitingMilliseconds: Int32? = nil) throws -> (logFrames: Int, checkpointed: Int) {
        if let waitingMilliseconds { sqlite3_busy_timeout(handle, waitingMilliseconds) }
        defer { if waitingMilliseconds != nil { sqlite3_busy_timeout(handle, busyTimeoutMilliseconds) } }
        var log: Int32 = -1, done: Int32 = -1
        let code = sqlite3_wal_checkpoint_v2(handle, nil, mode == .passive ? SQLITE_CHECKPOINT_PASSIVE : SQLITE_CHECKPOINT_TRUNCATE, &log, &done)
        try check(code, sql: "checkpoint")
        return (Int(log), Int(done))
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes64(handle)) }
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
