/// Writes rows to a Parquet file as they come, in row groups of a bounded size, so an export of
/// any length streams through constant memory.
///
/// Pages are v1 and ZSTD-compressed. A column chunk is dictionary-encoded (a PLAIN dictionary
/// page, then RLE_DICTIONARY data pages) where that makes it smaller, as for labels, steps and
/// coefficients that repeat, else PLAIN (see ``ColumnChunkBuffer``); nullable columns carry RLE
/// definition levels; each column chunk records its minimum, maximum, null count (and NaN count
/// for floating point). pyarrow and DuckDB read the files (the tests check both, value for value).
///
/// ```swift
/// let writer = try ParquetWriter(path: "shares.parquet", columns: [
///     ParquetColumn("checkpoint_step", .int64),
///     ParquetColumn("component", .string),
///     ParquetColumn("share", .double, nullable: true),
/// ])
/// try writer.write([.int(4000), .text("L0H3"), .double(0.25)])
/// try writer.close()
/// ```
///
/// A writer that is never closed leaves a file without its footer, which readers refuse: an
/// export that failed half-way cannot pass for a complete one. After the disk refuses a write,
/// the writer is closed the same way.
public final class ParquetWriter {
    /// Written in the footer as the application that made the file.
    public static let createdBy = "attrdb"
    /// A row group ends after this many bytes even if it has fewer than `rowGroupRows` rows, to
    /// bound memory when cells are long strings.
    static let rowGroupBytes = 64 << 20
    private static let magic: [UInt8] = Array("PAR1".utf8)

    public let path: String
    public let columns: [ParquetColumn]
    public let rowGroupRows: Int
    /// Rows written so far.
    public private(set) var rowCount = 0

    private var sink: OutputSink?
    private var buffers: [ColumnChunkBuffer]
    private var rowGroups: [RowGroupMetadata] = []
    private var rowsInGroup = 0
    private var offset: Int64 = 0
    private var converted: [ParquetValue] = []
    private let compressor: ZstdCompressor

    /// Creates the file (replacing one at `path`) and writes its header.
    ///
    /// - Parameter rowGroupRows: rows per row group; the last one may have fewer.
    /// - Throws: ``ParquetError/invalidSchema(_:)`` for no columns, an empty or repeated name, or a
    ///   `rowGroupRows` below 1; ``StoreError`` when the file cannot be created.
    public convenience init(path: String, columns: [ParquetColumn], rowGroupRows: Int = 131_072) throws {
        try self.init(path: path, columns: columns, rowGroupRows: rowGroupRows, options: ParquetEncodingOptions())
    }

    /// A writer with page, dictionary and compression settings other than the defaults.
    init(path: String, columns: [ParquetColumn], rowGroupRows: Int, options: ParquetEncodingOptions) throws {
        try Self.check(columns)
        guard rowGroupRows >= 1 else {
            throw ParquetError.invalidSchema("a row group needs at least 1 row, not \(rowGroupRows)")
        }
        self.path = path
        self.columns = columns
        self.rowGroupRows = rowGroupRows
        buffers = columns.map { ColumnChunkBuffer(column: $0, options: options) }
        compressor = ZstdCompressor(level: options.compressionLevel)
        converted.reserveCapacity(columns.count)
        let sink = try OutputSink.file(path)
        self.sink = sink
        try write(Self.magic, to: sink)
    }

    /// Adds a row: one cell per column, in column order. `.int` cells go into `double` and
    /// `float` columns and `.float` cells into `double` columns; anything else must match.
    ///
    /// A row that does not fit throws before any of it is written, so the file stays consistent.
    public func write(_ row: [Cell]) throws {
        guard let sink else { throw ParquetError.closed(path: path) }
        guard row.count == columns.count else {
            throw ParquetError.rowWidth(row: rowCount, expected: columns.count, found: row.count)
        }
        converted.removeAll(keepingCapacity: true)
        for (column, cell) in zip(columns, row) {
            converted.append(try Self.convert(cell, for: column, row: rowCount))
        }
        // One exclusive access to the buffers a row, not one a cell.
        buffers.withUnsafeMutableBufferPointer { buffers in
            converted.withUnsafeBufferPointer { values in
                for index in buffers.indices { buffers[index].append(values[index]) }
            }
        }
        rowCount += 1
        rowsInGroup += 1
        if rowsInGroup >= rowGroupRows || buffers.reduce(0, { $0 + $1.bufferedBytes }) >= Self.rowGroupBytes {
            try flushRowGroup(to: sink)
        }
    }

    /// Writes the last row group and the footer, and closes the file. Closing twice does nothing.
    public func close() throws {
        guard let sink else { return }
        defer { self.sink = nil }
        try flushRowGroup(to: sink)
        var footer = ThriftCompactWriter()
        footer.structure(FileMetadata(columns: columns, rowCount: Int64(rowCount), rowGroups: rowGroups,
                                      createdBy: Self.createdBy))
        try write(footer.bytes, to: sink)
        var length: [UInt8] = []
        PlainEncoding.appendLittleEndian(UInt32(clamping: footer.bytes.count), to: &length)
        try write(length, to: sink)
        try write(Self.magic, to: sink)
        try sink.finish()
    }

    /// The value `cell` stores as in `column`, or the error that names the row and column.
    static func convert(_ cell: Cell, for column: ParquetColumn, row: Int) throws -> ParquetValue {
        if let value = column.value(for: cell) { return value }
        if case .null = cell { throw ParquetError.nullInRequiredColumn(row: row, column: column.name) }
        throw ParquetError.typeMismatch(row: row, column: column.name, type: column.type, found: cell)
    }

    static func check(_ columns: [ParquetColumn]) throws {
        guard !columns.isEmpty else { throw ParquetError.invalidSchema("a file needs at least one column") }
        var seen = Set<String>()
        for column in columns {
            guard !column.name.isEmpty else { throw ParquetError.invalidSchema("a column has an empty name") }
            guard seen.insert(column.name).inserted else {
                throw ParquetError.invalidSchema("the column name '\(column.name)' appears twice")
            }
        }
    }

    private func flushRowGroup(to sink: OutputSink) throws {
        guard rowsInGroup > 0 else { return }
        do {
            try writeRowGroup(to: sink)
        } catch {
            // A row group written in part would put every later offset out: give up on the file.
            self.sink = nil
            throw error
        }
    }

    private func writeRowGroup(to sink: OutputSink) throws {
        let start = offset
        var chunks: [ColumnChunkMetadata] = []
        chunks.reserveCapacity(buffers.count)
        for index in buffers.indices {
            let chunk = try buffers[index].take(compressor: compressor)
            chunks.append(ColumnChunkMetadata(column: columns[index], valueCount: Int64(chunk.valueCount),
                                              dictionaryEncoded: chunk.dictionaryPageBytes > 0,
                                              uncompressedSize: Int64(chunk.uncompressedSize),
                                              compressedSize: Int64(chunk.bytes.count), offset: offset,
                                              firstDataPageOffset: offset + Int64(chunk.dictionaryPageBytes),
                                              statistics: chunk.statistics))
            try write(chunk.bytes, to: sink)
        }
        // The ordinal is optional and an i16: files with more row groups go without it.
        rowGroups.append(RowGroupMetadata(columns: chunks, rowCount: Int64(rowsInGroup), fileOffset: start,
                                          ordinal: Int16(exactly: rowGroups.count)))
        rowsInGroup = 0
    }

    private func write(_ bytes: [UInt8], to sink: OutputSink) throws {
        try sink.write(bytes)
        offset += Int64(bytes.count)
    }
}

extension ParquetWriter {
    /// Writes a whole table to a new file, with the columns ``ParquetColumn/columns(for:)`` infers.
    ///
    /// ```swift
    /// try ParquetWriter.write(table, to: "profile.parquet")
    /// ```
    public static func write(_ table: ResultTable, to path: String, rowGroupRows: Int = 131_072) throws {
        let writer = try ParquetWriter(path: path, columns: try ParquetColumn.columns(for: table),
                                       rowGroupRows: rowGroupRows)
        for row in table.rows { try writer.write(row) }
        try writer.close()
    }
}
