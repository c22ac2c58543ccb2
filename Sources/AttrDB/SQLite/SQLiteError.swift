import CSQLite

/// An error returned by SQLite: its extended result code, its message, and the SQL that failed.
///
/// ```swift
/// do { try connection.execute("SELEC 1") }
/// catch let error as SQLiteError { print(error.code, error.message) }
/// ```
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_BUSY_SNAPSHOT`, …).
    public let extendedCode: Int32
    /// SQLite's own message (`sqlite3_errmsg`).
    public let message: String
    /// The statement being prepared or run, when there was one.
    public let sql: String?

    /// The primary result code (`SQLITE_BUSY`, `SQLITE_NOTADB`, …): the low byte of the extended code.
    public var code: Int32 { extendedCode & 0xFF }

    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }
    public var isNotADatabase: Bool { code == SQLITE_NOTADB || code == SQLITE_CORRUPT }
    public var isReadOnly: Bool { code == SQLITE_READONLY }
    public var isCannotOpen: Bool { code == SQLITE_CANTOPEN }
    /// `SQLITE_FULL`, or `SQLITE_IOERR_WRITE` (a macro Swift cannot import: IOERR | 3 << 8), which a
    /// write past a file-size limit gives.
    public var isDiskFull: Bool { code == SQLITE_FULL || extendedCode == (SQLITE_IOERR | (3 << 8)) }
    public var isConstraint: Bool { code == SQLITE_CONSTRAINT }
    public var isAuthorizationDenied: Bool { code == SQLITE_AUTH }

    public var description: String {
        var text = "SQLite error \(extendedCode): \(message)"
        if let sql { text += " (in: \(sql.prefix(200)))" }
        return text
    }
}
