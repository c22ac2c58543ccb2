/// `attrdb sql`: one statement run read-only (``ReadOnlyQuery``) with attrdb's SQL functions, its
/// rows streamed to a writer, within a time and a row limit.
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
        let query = try ReadOnlyQuery(sql, path: path, timeout: timeout)
        let writer = try makeWriter(query.columns)
        var outcome = Outcome(rows: 0, cut: false)
        while let row = try query.next() {
            if let maxRows, outcome.rows >= maxRows {
                outcome.cut = true
                break
            }
            try writer.write(row.map(Cell.init))
            outcome.rows += 1
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
