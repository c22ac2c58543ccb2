/// `attrdb sql`: one statement run on a read-only connection with attrdb's SQL functions, its rows
/// streamed to a writer, within a time and a row limit.
public enum RawSQL {
    /// What a run wrote.
    public struct Outcome: Equatable, Sendable {
        /// Rows written.
        public var rows: Int
        /// Whether the query had more rows than `maxRows`, which were left out.
        public var cut: Bool
    }

    /// Opens `path` read-only, refuses any statement that writes, and writes the result rows —
    /// at most `maxRows` of them.
    ///
    /// - Throws: ``QueryTimedOut`` when the statement runs longer than `timeout` seconds.
    @discardableResult
    public static func run(_ sql: String, path: String, timeout: Double? = nil, maxRows: Int? = nil,
                           writer makeWriter: ([String]) throws -> RowSink) throws -> Outcome {
        try Store.checkPath(path, access: .read)
        let connection: Connection
        let guardian: ReadOnlyGuard
        do {
            connection = try Store.connect(path: path, access: .read)
            guardian = try connection.restrictToReading()
        } catch let error as SQLiteError {
            throw Store.translate(error, path: path)
        }
        let statement: Statement
        do {
            statement = try connection.prepare(sql)
        } catch let error as SQLiteError where error.isAuthorizationDenied || guardian.refusals > 0 {
            throw StoreError.invalidArgument("refused: attrdb sql runs read-only statements (SELECT, WITH, EXPLAIN, reading PRAGMAs); this statement would change the store")
        } catch let error as SQLiteError {
            throw Store.translate(error, path: path)
        }
        guard statement.isReadOnly else {
            throw StoreError.invalidArgument("refused: attrdb sql runs read-only statements; this statement would change the store")
        }
        let columns = (0..<statement.columnCount).map(statement.columnName)
        let writer = try makeWriter(columns)
        let deadline = timeout.map { connection.interrupt(after: $0) }
        var outcome = Outcome(rows: 0, cut: false)
        do {
            while try statement.step() {
                if let maxRows, outcome.rows >= maxRows {
                    outcome.cut = true
                    break
                }
                try writer.write((0..<statement.columnCount).map { Cell(statement.value(at: $0)) })
                outcome.rows += 1
            }
        } catch is SQLiteError where deadline?.expired == true {
            throw QueryTimedOut(seconds: deadline?.seconds ?? 0)
        }
        try writer.finish()
        return outcome
    }
}

extension Cell {
    /// A SQL value as a table cell; a blob shows as hex, `x'…'`.
    init(_ value: SQLValue) {
        switch value {
        case .integer(let v): self = .int(Int(v))
        case .real(let v): self = .double(v)
        case .text(let v): self = .text(v)
        case .null: self = .null
        case .blob(let bytes):
            let hex = bytes.prefix(64).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
            self = .text("x'\(hex)\(bytes.count > 64 ? "…" : "")' (\(bytes.count) bytes)")
        }
    }
}
