import CSQLite

/// Incremental reads of one blob cell (`sqlite3_blob_open`/`sqlite3_blob_read`): a slice of a
/// large packed matrix without loading the rest of it.
public final class BlobReader {
    private var handle: OpaquePointer?
    private let connection: Connection
    public let table: String
    public let column: String

    /// Opens the blob in `table.column` at `rowid`, read-only.
    public init(connection: Connection, table: String, column: String, rowid: Int64) throws {
        self.connection = connection
        self.table = table
        self.column = column
        var raw: OpaquePointer?
        let code = sqlite3_blob_open(connection.handle, "main", table, column, rowid, 0, &raw)
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
}
