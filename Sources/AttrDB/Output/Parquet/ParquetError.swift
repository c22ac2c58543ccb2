/// Why rows could not be written as Parquet. (When the disk refuses, the writers throw the
/// ``StoreError`` of the ``OutputSink`` they write through, as ``TableWriter`` does.)
///
/// ```swift
/// do { try writer.write([.text("late")]) }
/// catch let error as ParquetError { print(error) } // "row 3: 1 cells for 2 columns"
/// ```
public enum ParquetError: UserFacingError, Equatable {
    /// The column list is unusable: empty, a duplicate or empty name, a bad partition column.
    case invalidSchema(String)
    /// A row has a different number of cells than there are columns. Rows count from 0.
    case rowWidth(row: Int, expected: Int, found: Int)
    /// A cell that the column's type cannot hold, such as text in an `int64` column or a
    /// `.double` in a `float` column (that would lose precision).
    case typeMismatch(row: Int, column: String, type: ParquetType, found: Cell)
    /// A `.null` in a column that is not nullable.
    case nullInRequiredColumn(row: Int, column: String)
    /// Text and numbers in one column, when inferring the columns of a table.
    case mixedColumn(column: String, row: Int, first: ParquetType, then: ParquetType)
    /// A row was written after `close()`.
    case closed(path: String)
    /// zstd refused to compress a page (out of memory), with its reason.
    case compression(String)

    public var description: String {
        switch self {
        case .invalidSchema(let message):
            return "Parquet columns: \(message)"
        case .rowWidth(let row, let expected, let found):
            return "row \(row): \(found) cells for \(expected) columns"
        case .typeMismatch(let row, let column, let type, let found):
            return "row \(row), column '\(column)': expected \(type.rawValue), found \(found.kindName) '\(found.exactText)'"
        case .nullInRequiredColumn(let row, let column):
            return "row \(row), column '\(column)': null in a column declared not nullable"
        case .mixedColumn(let column, let row, let first, let then):
            return "column '\(column)': \(first.rawValue) values, then \(then.rawValue) at row \(row); a Parquet column holds one type"
        case .closed(let path):
            return "\(path): the Parquet writer is already closed"
        case .compression(let reason):
            return "zstd could not compress a Parquet page: \(reason)"
        }
    }
}

extension Cell {
    /// The kind of value, for messages.
    fileprivate var kindName: String {
        switch self {
        case .int: return "integer"
        case .double: return "double"
        case .float: return "float"
        case .text: return "text"
        case .null: return "null"
        }
    }
}
