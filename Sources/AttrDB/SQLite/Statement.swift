import CSQLite

/// A prepared statement: the only owner of a `sqlite3_stmt*`. Bind, step, read columns, reset, reuse.
///
/// ```swift
/// let insert = try db.prepare("INSERT INTO metric(name) VALUES (?)")
/// for name in ["logit_diff", "loss"] {
///     try insert.bind([.text(name)]); while try insert.step() {}; try insert.reset()
/// }
/// ```
final class Statement {
    let handle: OpaquePointer
    let connection: Connection
    public let sql: String
    /// Whether the compiled statement goes back to the connection's cache instead of being finalized.
    var isCached: Bool

    init(handle: OpaquePointer, connection: Connection, sql: String, cached: Bool = false) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
        self.isCached = cached
    }

    deinit {
        if !(isCached && connection.giveBack(handle, sql: sql)) { sqlite3_finalize(handle) }
    }

    /// True when the statement cannot change the database file (`sqlite3_stmt_readonly`).
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }
    public var parameterCount: Int32 { sqlite3_bind_parameter_count(handle) }
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    public func columnName(_ index: Int32) -> String {
        sqlite3_column_name(handle, index).map { String(cString: $0) } ?? "column\(index + 1)"
    }

    /// Advances to the next row: true when there is one, false when the statement is done.
    @discardableResult
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw connection.lastError(code: code, sql: sql)
        }
    }

    /// Makes the statement ready to run again; bindings are kept.
    public func reset() throws {
        try connection.check(sqlite3_reset(handle), sql: sql)
    }

    public func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    // MARK: Binding (parameters are numbered from 1)

    public func bind(_ value: Int64, at index: Int32) throws {
        try connection.check(sqlite3_bind_int64(handle, index, value), sql: sql)
    }

    public func bind(_ value: Double, at index: Int32) throws {
        try connection.check(sqlite3_bind_double(handle, index, value), sql: sql)
    }

    public func bind(_ value: String, at index: Int32) throws {
        // Strings may hold NUL; the explicit byte count keeps them whole.
        var copy = value
        let code = copy.withUTF8 { bytes -> Int32 in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                withUnsafePointer(to: CChar(0)) { empty in
                    sqlite3_bind_text64(handle, index, chars.baseAddress ?? empty, sqlite3_uint64(chars.count),
                                        attrdb_sqlite_transient(), UInt8(SQLITE_UTF8))
                }
            }
        }
        try connection.check(code, sql: sql)
    }

    /// Binds bytes that SQLite copies, so the memory may go away after the call.
    public func bind(copying bytes: UnsafeRawBufferPointer, at index: Int32) throws {
        try bindBlob(bytes, at: index, destructor: attrdb_sqlite_transient())
    }

    /// Binds bytes without copying them. The caller keeps them alive until the statement is reset
    /// or its bindings cleared; ``withBorrowedBlob(_:at:_:)`` scopes that.
    public func bind(borrowing bytes: UnsafeRawBufferPointer, at index: Int32) throws {
        try bindBlob(bytes, at: index, destructor: attrdb_sqlite_static())
    }

    /// Binds `bytes` without a copy for the duration of `body`, then clears the binding so the
    /// statement never points at dead memory.
    public func withBorrowedBlob<T>(_ bytes: UnsafeRawBufferPointer, at index: Int32, _ body: () throws -> T) throws -> T {
        try bind(borrowing: bytes, at: index)
        defer {
            sqlite3_reset(handle)
            sqlite3_bind_null(handle, index)
        }
        return try body()
    }

    private func bindBlob(_ bytes: UnsafeRawBufferPointer, at index: Int32, destructor: sqlite3_destructor_type?) throws {
        // A nil base address would bind NULL; an empty blob needs a valid pointer.
        let empty: UInt8 = 0
        let code = withUnsafePointer(to: empty) { emptyPointer in
            sqlite3_bind_blob64(handle, index, bytes.baseAddress ?? UnsafeRawPointer(emptyPointer),
                                sqlite3_uint64(bytes.count), destructor)
        }
        try connection.check(code, sql: sql)
    }

    /// Binds a blob of `count` zero bytes that SQLite allocates in the file, not in memory.
    public func bindZeroBlob(count: Int, at index: Int32) throws {
        try connection.check(sqlite3_bind_zeroblob64(handle, index, sqlite3_uint64(count)), sql: sql)
    }

    public func bindNull(at index: Int32) throws {
        try connection.check(sqlite3_bind_null(handle, index), sql: sql)
    }

    public func bind(_ value: SQLValue, at index: Int32) throws {
        switch value {
        case .integer(let v): try bind(v, at: index)
        case .real(let v): try bind(v, at: index)
        case .text(let v): try bind(v, at: index)
        case .blob(let v): try v.withUnsafeBytes { try bind(copying: $0, at: index) }
        case .null: try bindNull(at: index)
        }
    }

    /// Resets the statement and binds `values` to parameters 1, 2, … in order.
    public func bind(_ values: [SQLValue]) throws {
        try reset()
        guard values.count == Int(parameterCount) else {
            throw SQLiteError(extendedCode: SQLITE_RANGE, message: "statement takes \(parameterCount) arguments, got \(values.count)", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    // MARK: Columns (numbered from 0)

    public func isNull(at index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    public func int64(at index: Int32) -> Int64 { sqlite3_column_int64(handle, index) }
    public func int(at index: Int32) -> Int { Int(sqlite3_column_int64(handle, index)) }
    public func double(at index: Int32) -> Double { sqlite3_column_double(handle, index) }

    public func string(at index: Int32) -> String {
        guard let text = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    public func optionalString(at index: Int32) -> String? {
        isNull(at: index) ? nil : string(at: index)
    }

    public func optionalInt(at index: Int32) -> Int? {
        isNull(at: index) ? nil : int(at: index)
    }

    public func optionalDouble(at index: Int32) -> Double? {
        isNull(at: index) ? nil : double(at: index)
    }

    /// Lends the column's bytes without copying them; valid only inside `body`.
    public func withBytes<T>(at index: Int32, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let pointer = sqlite3_column_blob(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeRawBufferPointer(start: count == 0 ? nil : pointer, count: count))
    }

    public func bytes(at index: Int32) -> [UInt8] {
        withBytes(at: index) { Array($0) }
    }

    /// The column as a ``SQLValue`` of its own storage class.
    public func value(at index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(int64(at: index))
        case SQLITE_FLOAT: return .real(double(at: index))
        case SQLITE_TEXT: return .text(string(at: index))
        case SQLITE_BLOB: return .blob(bytes(at: index))
        default: return .null
        }
    }
}
