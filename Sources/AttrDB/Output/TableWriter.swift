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
    private var pending: [[Cell]] = []

    public init(columns: [String], format: OutputFormat, sink: OutputSink, headers: Bool = true,
                digits: Int? = nil, caption: String? = nil) {
        precondition(!format.isBinary, "TableWriter writes the text formats; \(format) goes through TableOutput")
        self.columns = columns
        self.format = format
        self.sink = sink
        self.headers = headers
        self.digits = digits
        self.caption = caption
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
        switch format {
        case .table: pending.append(row)
        case .csv: try sink.write(csvLine(row))
        case .tsv: try sink.write(row.map { Escape.tsv($0.exactText) }.joined(separator: "\t") + "\n")
        case .json: try sink.write((rowCount == 0 ? "\n" : ",\n") + jsonObject(row))
        case .jsonl: try sink.write(jsonObject(row) + "\n")
        case .markdown:
            try sink.write("| " + row.map { Escape.markdown($0.roundedText(digits: digits)) }.joined(separator: " | ") + " |\n")
        case .latex:
            try sink.write(row.map { Escape.latex($0.roundedText(digits: digits)) }.joined(separator: " & ") + " \\\\\n")
        case .npy, .parquet: preconditionFailure("checked in init")
        }
    }

    /// Ends the table and finishes the sink (a file is moved into place).
    public func finish() throws {
        if !started { try start() }
        switch format {
        case .table:
            let rendered = AlignedTable.render(columns: headers ? columns : nil, rows: pending, digits: digits, maxWidth: maxWidth)
            try sink.write(rendered.text)
            if rendered.hiddenColumns > 0 { whenColumnsLeftOut?(rendered.hiddenColumns) }
        case .json: try sink.write(rowCount == 0 ? "]\n" : "\n]\n")
        case .latex:
            try sink.write("\\bottomrule\n\\end{tabular}\n")
            if let caption { try sink.write("\\caption{\(Escape.latex(caption))}\n\\end{table}\n") }
        default: break
        }
        try sink.finish()
    }

    /// The bytes of the CSV line being written, kept between rows so a long table allocates once.
    private var line: [UInt8] = []

    /// One CSV line, built as bytes and written at once: only a text cell can hold a comma, quote or
    /// line break, so only text is escaped (a number's text never needs it). Integers are written
    /// digit by digit and a number's text is copied from its contiguous UTF-8, so a row makes no
    /// String but its doubles' (`capacity` at 10⁹ values writes 81 000 rows).
    private func csvLine(_ row: [Cell]) -> [UInt8] {
        // Moved out of the property while it is built: appending to a class's stored property
        // pays an exclusivity check per call.
        var bytes: [UInt8] = []
        swap(&bytes, &line)
        bytes.removeAll(keepingCapacity: true)
        for (index, cell) in row.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            switch cell {
            case .int(let value): TableWriter.appendDecimal(value, to: &bytes)
            case .text(let text): TableWriter.appendUTF8(Escape.csv(text), to: &bytes)
            default: TableWriter.appendUTF8(cell.exactText, to: &bytes)
            }
        }
        bytes.append(UInt8(ascii: "\n"))
        swap(&bytes, &line)
        return line
    }

    /// `value`'s decimal digits, as `String(value)` writes them.
    static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // The magnitude as unsigned, so Int.min has one too.
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
        }
    }

    /// The UTF-8 of `text`, copied at once from its contiguous storage.
    static func appendUTF8(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    private func jsonObject(_ row: [Cell]) -> String {
        var text = "{"
        for (index, cell) in row.enumerated() {
            if index > 0 { text += "," }
            text += Escape.json(columns[index]) + ":" + jsonValue(cell)
        }
        return text + "}"
    }

    private func jsonValue(_ cell: Cell) -> String {
        switch cell {
        case .int(let v): return String(v)
        case .double(let v): return v.isFinite ? Cell.numberText(v) : "null"
        case .float(let v): return v.isFinite ? Cell.numberText(v) : "null"
        case .text(let v): return Escape.json(v)
        case .null: return "null"
        }
    }
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
