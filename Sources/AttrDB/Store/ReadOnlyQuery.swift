/// One statement a person wrote (`attrdb sql`), compiled on a read-only connection of its own
/// under an authorizer that refuses anything that writes, its rows read one at a time.
///
/// ```swift
/// let query = try ReadOnlyQuery("SELECT name FROM run", path: "attrdb.sqlite", timeout: 5)
/// while let row = try query.next() { print(row) }
/// ```
public final class ReadOnlyQuery {
    /// The result's column names.
    public let columns: [String]
    private let connection: Connection
    private let statement: Statement
    private let deadline: QueryDeadline?

    /// Opens `path` read-only and compiles `sql`; `timeout` seconds start counting now.
    ///
    /// - Throws: ``StoreError/badInput(_:)`` for a statement that would change the store.
    public init(_ sql: String, path: String, timeout: Double? = nil) throws {
        try Store.checkPath(path, access: .read)
        let guardian: ReadOnlyGuard
        do {
            connection = try Store.connect(path: path, access: .read)
            guardian = try connection.restrictToReading()
        } catch let error as SQLiteError {
            throw Store.translate(error, path: path)
        }
        do {
            statement = try connection.prepare(sql)
        } catch let error as SQLiteError where error.isAuthorizationDenied || guardian.refusals > 0 {
            throw StoreError.badInput("refused: attrdb sql runs read-only statements (SELECT, WITH, EXPLAIN, reading PRAGMAs); this statement would change the store")
        } catch let error as SQLiteError {
            throw Store.translate(error, path: path)
        }
        guard statement.isReadOnly else {
            throw StoreError.badInput("refused: attrdb sql runs read-only statements; this statement would change the store")
        }
        let (statement, connection) = (statement, connection)
        columns = (0..<statement.columnCount).map(statement.columnName)
        deadline = timeout.map { connection.interrupt(after: $0) }
    }

    /// The next row, nil after the last.
    ///
    /// - Throws: ``QueryTimedOut`` when the statement runs past its timeout.
    public func next() throws -> [SQLValue]? {
        do {
            guard try statement.step() else { return nil }
        } catch is SQLiteError where deadline?.expired == true {
            throw QueryTimedOut(seconds: deadline?.seconds ?? 0)
        }
        return (0..<statement.columnCount).map { statement.value(at: $0) }
    }
}
