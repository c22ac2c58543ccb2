/// Writes rows in one of the ``OutputFormat``s as they come, so a large table streams through
/// constant memory (the aligned `table` format alone waits for every row to measure the columns).
///
/// ```swift
/// let writer = TableWriter(columns: ["checkpoint_step", "share"], format: .csv, sink: .standardOutput())
/// try writer.write([.int(4000), .double(0.25)])
/// try writer.finish()
/// ```
public final class TableWriter {
    public let columns: [String]
    public let format: OutputFormat
    public let headers: Bool
    /// Significant digits for the formats read by people (table, markdown, latex); nil prints exact values.
    public let digits: Int?
    public let caption: String?
    /// The `table` format only: the terminal's width in cells; columns that do not fit are left out.
    public var maxWidth: Int?
    /// Called with the number of columns `maxWidth` left out, when it left any out.
    public var whenColumnsLeftOut: ((Int) -> Void)?
    private let sink: OutputSink
    private var rowCount = 0

    public init(columns: [String], format: OutputFormat, sink: OutputSink, headers: Bool = true,
                digits: Int? = nil, caption: String? = nil) {
        precondition(!format.isBinary, "TableWriter writes the text formats; \(format) goes through TableOutput")
        self.columns = columns
        self.format = format
        self.sink = sink
        self.headers = headers
        self.digits = digits
        self.caption = caption
        aligned = AlignedTable.Cells(digits: digits)
        jsonKeys = format == .json || format == .jsonl ? columns.map { Array((Escape.json($0) + ":").utf8) } : []
    }

    private var started = false

    private func start() throws {
        started = true
        switch format {
        case .csv where headers: try sink.write(columns.map(Escape.csv).joined(separator: ",") + "\n")
        case .tsv where headers: try sink.write(columns.map(Escape.tsv).joined(separator: "\t") + "\n")
        case .json: try sink.write("[")
        case .latex:
            if caption != nil { try sink.write("\\begin{table}[t]\n\\centering\n") }
            try sink.write("\\begin{tabular}{\(String(repeating: "l", count: columns.count))}\n\\toprule\n")
            if headers { try sink.write(columns.map(Escape.latex).joined(separator: " & ") + " \\\\\n\\midrule\n") }
        case .markdown:
            try sink.write("| " + columns.map(Escape.markdown).joined(separator: " | ") + " |\n")
            try sink.write("|" + columns.map { _ in " --- |" }.joined() + "\n")
        default: break
        }
    }

    public func write(_ row: [Cell]) throws {
        precondition(row.count == columns.count, "a row of \(row.count) cells for \(columns.count) columns")
        if !started { try start() }
        defer { rowCount += 1 }
        if format == .table { return aligned.append(row) }
        // The line is built as bytes straight into the sink's buffer (one exclusivity check for the
        // line, not one per append to a stored property), with no copy of it made.
        let first = rowCount == 0
        try sink.append { bytes in
            switch format {
            case .csv: csvLine(row, to: &bytes)
            case .tsv: tsvLine(row, to: &bytes)
            case .json:
                bytes.append(contentsOf: first ? [UInt8(ascii: "\n")] : [UInt8(ascii: ","), UInt8(ascii: "\n")])
                jsonObject(row, to: &bytes)
            case .jsonl:
                jsonObject(row, to: &bytes)
                bytes.append(UInt8(ascii: "\n"))
            case .markdown: markdownLine(row, to: &bytes)
            case .latex: latexLine(row, to: &bytes)
            case .table, .npy, .parquet: preconditionFailure("checked in init")
            }
        }
    }

    /// Ends the table and finishes the sink (a file is moved into place).
    public func finish() throws {
        if !started { try start() }
        switch format {
        case .table:
            let rendered = aligned.render(columns: headers ? columns : nil, maxWidth: maxWidth)
            try sink.write(rendered.bytes)
            if rendered.hiddenColumns > 0 { whenColumnsLeftOut?(rendered.hiddenColumns) }
        case .json: try sink.write(rowCount == 0 ? "]\n" : "\n]\n")
        case .latex:
            try sink.write("\\bottomrule\n\\end{tabular}\n")
            if let caption { try sink.write("\\caption{\(Escape.latex(caption))}\n\\end{table}\n") }
        default: break
        }
        try sink.finish()
    }

    /// The `table` format's cells, kept as their text until every row has come.
    private var aligned = AlignedTable.Cells(digits: nil)

    /// One CSV line: only a text cell can hold a comma, quote or line break, so only text is
    /// escaped (a number's text never needs it), and numbers are written straight into the line.
    private func csvLine(_ row: [Cell], to bytes: inout [UInt8]) {
        for (index, cell) in row.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            if case .text(let text) = cell { TableWriter.appendUTF8(Escape.csv(text), to: &bytes) } else { cell.appendExact(to: &bytes) }
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// One TSV line: as CSV, with only text escaped (no number's text holds a tab, line break or backslash).
    private func tsvLine(_ row: [Cell], to bytes: inout [UInt8]) {
        for (index, cell) in row.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: "\t")) }
            if case .text(let text) = cell { TableWriter.appendUTF8(Escape.tsv(text), to: &bytes) } else { cell.appendExact(to: &bytes) }
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// `| a | b |`: numbers at ``digits`` significant digits (their text has nothing Markdown escapes).
    private func markdownLine(_ row: [Cell], to bytes: inout [UInt8]) {
        bytes.append(contentsOf: [UInt8(ascii: "|"), UInt8(ascii: " ")])
        for (index, cell) in row.enumerated() {
            if index > 0 { bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: "|"), UInt8(ascii: " ")]) }
            if case .text(let text) = cell { TableWriter.appendUTF8(Escape.markdown(text), to: &bytes) } else { cell.appendRounded(digits: digits, to: &bytes) }
        }
        bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: "|"), UInt8(ascii: "\n")])
    }

    /// `a & b \\`: numbers at ``digits`` significant digits (their text has nothing LaTeX escapes).
    private func latexLine(_ row: [Cell], to bytes: inout [UInt8]) {
        for (index, cell) in row.enumerated() {
            if index > 0 { bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: "&"), UInt8(ascii: " ")]) }
            if case .text(let text) = cell { TableWriter.appendUTF8(Escape.latex(text), to: &bytes) } else { cell.appendRounded(digits: digits, to: &bytes) }
        }
        bytes.append(contentsOf: [UInt8(ascii: " "), UInt8(ascii: "\\"), UInt8(ascii: "\\"), UInt8(ascii: "\n")])
    }

    /// The UTF-8 of `text`, copied at once from its contiguous storage.
    static func appendUTF8(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Each column's name as a JSON key with its colon, escaped once for every row.
    private let jsonKeys: [[UInt8]]

    private func jsonObject(_ row: [Cell], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, cell) in row.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: jsonKeys[index])
            switch cell {
            case .double(let v) where !v.isFinite: bytes.append(contentsOf: TableWriter.null)
            case .float(let v) where !v.isFinite: bytes.append(contentsOf: TableWriter.null)
            case .text(let v): Escape.appendJSON(v, to: &bytes)
            case .null: bytes.append(contentsOf: TableWriter.null)
            default: cell.appendExact(to: &bytes)
            }
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private static let null: [UInt8] = Array("null".utf8)
}

extension TableWriter {
    /// Writes a whole table at once.
    public static func write(_ table: ResultTable, format: OutputFormat, sink: OutputSink, headers: Bool = true,
                             digits: Int? = nil, caption: String? = nil) throws {
        let writer = TableWriter(columns: table.columns, format: format, sink: sink, headers: headers, digits: digits, caption: caption)
        for row in table.rows { try writer.write(row) }
        try writer.finish()
    }
}

/// A table held in memory: what the output formats write (see ``TabularResult`` for what analyses return).
public struct ResultTable: Equatable, Sendable {
    public var columns: [String]
    public var rows: [[Cell]]
    /// The columns' declared types when the table comes from a typed result; nil when they are
    /// known only from the cells. A Parquet column no row fills takes its declared type.
    public var types: [ResultColumn.ValueType]?

    public init(columns: [String], rows: [[Cell]] = [], types: [ResultColumn.ValueType]? = nil) {
        self.columns = columns
        self.rows = rows
        self.types = types
    }

    /// The index of a column by name.
    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }
}
