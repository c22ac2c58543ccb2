/// The value types a Parquet column written by attrdb can hold.
///
/// ```swift
/// let column = ParquetColumn("share", .double)
/// ```
public enum ParquetType: String, CaseIterable, Sendable {
    /// Signed 64-bit integers (physical type INT64).
    case int64
    /// IEEE 754 binary64 (physical type DOUBLE).
    case double
    /// IEEE 754 binary32 (physical type FLOAT): attributions stored as float32 stay float32.
    case float
    /// UTF-8 text (physical type BYTE_ARRAY, logical type STRING, converted type UTF8).
    case string

    /// The type that holds `cell` without loss, or nil for `.null`.
    ///
    /// ```swift
    /// ParquetType(holding: .float(0.5)) // .float
    /// ```
    public init?(holding cell: Cell) {
        switch cell {
        case .int: self = .int64
        case .double: self = .double
        case .float: self = .float
        case .text: self = .string
        case .null: return nil
        }
    }

    /// The type of a typed result's column; nil for a `mixed` one, whose type only its values tell.
    init?(declared type: ResultColumn.ValueType) {
        switch type {
        case .integer: self = .int64
        case .float32: self = .float
        case .double: self = .double
        case .text: self = .string
        case .mixed: return nil
        }
    }

    /// The narrowest type that holds values of both types without loss of meaning, or nil when
    /// one is text and the other a number.
    func widened(with other: ParquetType) -> ParquetType? {
        if self == other { return self }
        if self == .string || other == .string { return nil }
        // int64 with float, or anything with double: double holds every float32 exactly and is
        // how attrdb already shows mixed numeric columns.
        return .double
    }

    /// Parquet's physical type code (`Type` in parquet.thrift).
    var physicalTypeCode: Int32 {
        switch self {
        case .int64: return 2
        case .float: return 4
        case .double: return 5
        case .string: return 6
        }
    }
}

/// One column of a Parquet file: its name, value type and whether it may hold nulls.
///
/// ```swift
/// let columns = [
///     ParquetColumn("checkpoint_step", .int64),
///     ParquetColumn("component", .string),
///     ParquetColumn("share", .double, nullable: true),
/// ]
/// ```
public struct ParquetColumn: Equatable, Sendable {
    public var name: String
    public var type: ParquetType
    /// Optional (nullable) in Parquet's terms; a required column refuses `.null`.
    public var nullable: Bool

    /// A column named `name` holding `type` values, nullable or not.
    public init(_ name: String, _ type: ParquetType, nullable: Bool = false) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    /// The columns that hold a result table: each column's type is the one its cells share
    /// (`.int` and `.float` cells together make `.double`), nullable when a cell is `.null`.
    /// A column with no values at all becomes a nullable string column.
    ///
    /// ```swift
    /// let table = ResultTable(columns: ["step", "share"], rows: [[.int(1), .double(0.5)], [.int(2), .null]])
    /// let columns = try ParquetColumn.columns(for: table)
    /// // [ParquetColumn("step", .int64), ParquetColumn("share", .double, nullable: true)]
    /// ```
    public static func columns(for table: ResultTable) throws -> [ParquetColumn] {
        var types = [ParquetType?](repeating: nil, count: table.columns.count)
        var nullable = [Bool](repeating: table.rows.isEmpty, count: table.columns.count)
        for (rowIndex, row) in table.rows.enumerated() {
            guard row.count == table.columns.count else {
                throw ParquetError.rowWidth(row: rowIndex, expected: table.columns.count, found: row.count)
            }
            for (index, cell) in row.enumerated() {
                guard let type = ParquetType(holding: cell) else {
                    nullable[index] = true
                    continue
                }
                guard let known = types[index] else {
                    types[index] = type
                    continue
                }
                guard let widened = known.widened(with: type) else {
                    throw ParquetError.mixedColumn(column: table.columns[index], row: rowIndex, first: known, then: type)
                }
                types[index] = widened
            }
        }
        return table.columns.indices.map { index in
            let type = types[index] ?? table.types?[safe: index].flatMap { ParquetType(declared: $0) }
            return ParquetColumn(table.columns[index], type ?? .string, nullable: nullable[index] || type == nil)
        }
    }

    /// The value `cell` stores as in this column, converting where nothing is lost in meaning
    /// (`.int` into `.double` or `.float`, `.float` into `.double`); nil when it does not fit.
    func value(for cell: Cell) -> ParquetValue? {
        switch (type, cell) {
        case (_, .null): return nullable ? .null : nil
        case (.int64, .int(let v)): return .int64(Int64(v))
        case (.double, .double(let v)): return .double(v)
        case (.double, .int(let v)): return .double(Double(v))
        case (.double, .float(let v)): return .double(Double(v))
        case (.float, .float(let v)): return .float(v)
        case (.float, .int(let v)): return .float(Float(v))
        case (.string, .text(let v)): return .string(v)
        default: return nil
        }
    }
}

/// A cell converted to the type of its column, ready to encode.
enum ParquetValue {
    case int64(Int64)
    case double(Double)
    case float(Float)
    case string(String)
    case null
}
