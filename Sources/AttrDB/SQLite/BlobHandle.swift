import CSQLite

/// Incremental I/O on one blob cell (`sqlite3_blob_open`, `sqlite3_blob_read`, `sqlite3_blob_write`):
/// a slice of a large packed matrix without loading the rest of it, or a matrix written straight
/// into the pages of a `zeroblob` without building it as a record in memory first.
final class BlobHandle {
    private var handle: OpaquePointer?
    private let connection: Connection
    public let table: String
    public let column: String

    /// Opens the blob in `table.column` at `rowid` of the database `database` (`main`, or an attached
    /// one's name), read-only unless `writable`.
    public init(connection: Connection, database: String = "main", table: String, column: String, rowid: Int64,
                writable: Bool = false) throws {
        self.connection = connection
        self.table = table
        self.column = column
        var raw: OpaquePointer?
        let code = sqlite3_blob_open(connection.handle, database, table, column, rowid, writable ? 1 : 0, &raw)
        guard code == SQLITE_OK, let raw else {
            if let raw { sqlite3_blob_close(raw) }
            throw connection.lastError(code: code, sql: "blob \(table).\(column) rowid \(rowid)")
        }
        handle = raw
    }

    deinit {
        if let handle { sqlite3_blob_close(handle) }
    }

    /// The blob's length in bytes.
    public var count: Int { handle.map { Int(sqlite3_blob_bytes($0)) } ?? 0 }

    /// Moves to another row of the same table and column, cheaper than opening anew.
    public func reopen(rowid: Int64) throws {
        guard let handle else { return }
        try connection.check(sqlite3_blob_reopen(handle, rowid), sql: "blob \(table).\(column) rowid \(rowid)")
    }

    /// Reads `buffer.count` bytes starting at `offset` into `buffer`.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        guard let handle, let base = buffer.baseAddress, buffer.count > 0 else { return }
        try connection.check(sqlite3_blob_read(handle, base, Int32(buffer.count), Int32(offset)),
                             sql: "blob \(table).\(column) read \(buffer.count) bytes at \(offset)")
    }

    /// Writes `bytes` at `offset`; the blob's size cannot change (insert a `zeroblob` of the full size first).
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        guard let handle, let base = bytes.baseAddress, bytes.count > 0 else { return }
        try connection.check(sqlite3_blob_write(handle, base, Int32(bytes.count), Int32(offset)),
                             sql: "blob \(table).\(column) write \(bytes.count) bytes at \(offset)")
    }
}
