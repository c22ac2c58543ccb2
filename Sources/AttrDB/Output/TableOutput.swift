/// The one output pipeline: where and how every command writes its table — the text formats
/// through ``TableWriter``, `npy` through ``NPYWriter``, `parquet` through ``ParquetWriter`` or, with
/// `partitionBy`, ``PartitionedParquetWriter`` — to standard output or to a file (or folder) written
/// beside its target and moved into place when complete.
///
/// ```swift
/// let output = TableOutput(format: nil, path: "capacity.parquet", isTerminal: false)
/// try output.check()
/// try output.write(byRun: [("modadd", table)])
/// ```
public struct TableOutput: Sendable {
    public let format: OutputFormat
    /// The file or, with `partitionBy`, the folder; nil for standard output.
    public let path: String?
    /// Parquet only: the columns a Hive-style folder tree is partitioned by, in folder order.
    public var partitionBy: [String] = []
    /// Replace a `partitionBy` folder that has files in it (and a values `.npy`'s `axes.json` that
    /// holds other axes); without it both are refused.
    public var replace = false
    public var headers = true
    /// Significant digits in the formats people read; nil takes ``OutputFormat/defaultDigits``.
    public var digits: Int?
    /// A caption for LaTeX output.
    public var caption: String?
    /// Whether standard output is a terminal (binary formats are refused there).
    public let isTerminal: Bool
    /// The terminal's width in cells: a `table` on the terminal shows the columns that fit.
    public var terminalWidth: Int?
    /// Called with the number of columns left out for ``terminalWidth``, when any were.
    public var whenColumnsLeftOut: (@Sendable (Int) -> Void)?

    /// The format is `format`, else the one `path`'s extension implies, else CSV into a file and
    /// ``OutputFormat/default(isTerminal:)`` on standard output.
    public init(format: OutputFormat?, path: String?, isTerminal: Bool) {
        self.format = format ?? path.flatMap(OutputFormat.init(fileName:)) ?? .default(isTerminal: path == nil && isTerminal)
        self.path = path
        self.isTerminal = isTerminal
    }

    /// Refuses what cannot be written, before anything is computed or opened.
    public func check() throws(OutputMisuse) {
        if !partitionBy.isEmpty && format != .parquet { throw .partitionNeedsParquet(format) }
        if !partitionBy.isEmpty && path == nil { throw .partitionNeedsFolder }
        if format == .parquet && path == nil { throw .needsFile(format) }
        if format.isBinary && path == nil && isTerminal { throw .binaryToTerminal(format) }
    }

    /// Writes one table.
    public func write(_ table: ResultTable) throws {
        switch format {
        case .npy:
            let sink = try self.sink()
            try NumericArray.write(table, to: sink)
            try sink.finish()
        case .parquet:
            let table = table.mixedColumnsAsText()
            let writer = try rows(columns: table.columns, types: try ParquetColumn.columns(for: table))
            for row in table.rows { try writer.write(row) }
            try writer.finish()
        default:
            let writer = try rows(columns: table.columns)
            for row in table.rows { try writer.write(row) }
            try writer.finish()
        }
    }

    /// Writes each run's table, stacked under a leading `run` column when there are several runs
    /// or when the output is partitioned by run.
    public func write(byRun tables: [(run: String, table: ResultTable)]) throws {
        try write(.stacked(byRun: tables, runColumn: runColumn(runs: tables.count)))
    }

    /// Writes one typed result: in the text formats row by row from its typed rows, each row's
    /// cells made only while it is written; as ``write(_:)-(ResultTable)`` writes its table.
    public func write<Result: TabularResult>(_ result: Result) throws {
        try write(byRun: [("", result)], runColumn: false)
    }

    /// Writes each run's typed result, stacked under a leading `run` column as
    /// ``write(byRun:)-([(run:String,table:ResultTable)])`` stacks tables, the same bytes; in the
    /// text formats no table of cells is held (the binary ones take the tables).
    public func write<Result: TabularResult>(byRun results: [(run: String, result: Result)]) throws {
        try write(byRun: results, runColumn: runColumn(runs: results.count))
    }

    private func write<Result: TabularResult>(byRun results: [(run: String, result: Result)], runColumn: Bool) throws {
        guard !format.isBinary, let first = results.first else {
            return try write(.stacked(byRun: results.map { ($0.run, ResultTable($0.result)) }, runColumn: runColumn))
        }
        let writer = try rows(columns: (runColumn ? ["run"] : []) + first.result.columns.map(\.name))
        // One array of cells for every row: 81 000 rows made 81 000 arrays.
        var cells: [Cell] = []
        for (run, result) in results {
            try result.forEachRow { row in
                cells.removeAll(keepingCapacity: true)
                if runColumn { cells.append(.text(run)) }
                row.appendCells(to: &cells)
                try writer.write(cells)
            }
        }
        try writer.finish()
    }

    /// Whether the tables of `runs` runs go under a leading `run` column: when there are several,
    /// or when the output is partitioned by run (the column names the folders).
    public func runColumn(runs: Int) -> Bool {
        runs > 1 || partitionBy.contains("run")
    }

    /// A sink for rows of `columns`, for tables streamed rather than held. Parquet streams when
    /// `types` gives each column's type; without them, and for npy (whose header holds the row
    /// count), the rows are held and written by ``finish()``.
    public func rows(columns: [String], types: [ParquetColumn]? = nil) throws -> RowSink {
        switch format {
        case .parquet:
            guard let types else { return HeldRows(columns: columns) { try self.write($0) } }
            guard let path else { throw OutputMisuse.needsFile(format) }
            return partitionBy.isEmpty ? try ParquetWriter(path: path, columns: types)
                : try PartitionedParquetWriter(root: path, columns: types, partitionBy: partitionBy, replace: replace)
        case .npy:
            return HeldRows(columns: columns) { try self.write($0) }
        default:
            let writer = TableWriter(columns: columns, format: format, sink: try sink(), headers: headers,
                                     digits: digits ?? format.defaultDigits, caption: caption)
            if format == .table && path == nil && isTerminal {
                writer.maxWidth = terminalWidth
                writer.whenColumnsLeftOut = whenColumnsLeftOut
            }
            return writer
        }
    }

    /// The file at `path` (written beside it, moved into place by `finish`), else standard output.
    public func sink() throws -> OutputSink {
        try path.map(OutputSink.file) ?? .standardOutput()
    }
}

/// An output that cannot be written as asked: a usage error, found before anything is computed.
public enum OutputMisuse: Error, Equatable, CustomStringConvertible {
    case partitionNeedsParquet(OutputFormat)
    case partitionNeedsFolder
    case needsFile(OutputFormat)
    case binaryToTerminal(OutputFormat)

    public var description: String {
        switch self {
        case .partitionNeedsParquet(let format): return "--partition-by writes Parquet, not \(format.rawValue): use --format parquet or -o FOLDER with --format parquet."
        case .partitionNeedsFolder: return "--partition-by needs -o FOLDER."
        case .needsFile(let format): return "\(format.rawValue) is written to a file: give -o FILE, e.g. -o table.\(format.rawValue)."
        case .binaryToTerminal(let format): return "\(format.rawValue) is binary and standard output is a terminal: give -o FILE, e.g. -o table.\(format.rawValue)."
        }
    }
}

extension ResultTable {
    /// Tables of several runs stacked, with a leading `run` column when `runColumn` says so (by
    /// default when there are several); one run's table is otherwise returned as it is.
    public static func stacked(byRun tables: [(run: String, table: ResultTable)], runColumn: Bool? = nil) -> ResultTable {
        guard let first = tables.first else { return ResultTable(columns: []) }
        guard runColumn ?? (tables.count > 1) else { return first.table }
        return ResultTable(columns: ["run"] + first.table.columns,
                           rows: tables.flatMap { entry in entry.table.rows.map { [.text(entry.run)] + $0 } },
                           types: first.table.types.map { [.text] + $0 })
    }
}

extension ResultTable {
    /// The table with every column that holds both text and numbers (`show`'s key/value rows) made
    /// all text, each number as its exact text: a Parquet column holds one type, and text is the
    /// type both fit in.
    func mixedColumnsAsText() -> ResultTable {
        let mixed = columns.indices.filter { i in
            rows.contains { if case .text = $0[i] { return true } else { return false } } && rows.contains { $0[i].isNumeric }
        }
        guard !mixed.isEmpty else { return self }
        var result = self
        for r in result.rows.indices {
            for i in mixed where result.rows[r][i].isNumeric { result.rows[r][i] = .text(result.rows[r][i].exactText) }
        }
        return result
    }
}

/// Rows held until the end, then written as one table: for outputs that need them all first.
final class HeldRows: RowSink {
    private var table: ResultTable
    private let finishing: (ResultTable) throws -> Void

    init(columns: [String], finishing: @escaping (ResultTable) throws -> Void) {
        table = ResultTable(columns: columns)
        self.finishing = finishing
    }

    func write(_ row: [Cell]) throws { table.rows.append(row) }
    func finish() throws { try finishing(table) }
}
