/// The pages of one column of the row group being written, held until the row group is complete:
/// a column chunk must be contiguous in the file, so no column can go out before the last row.
struct ColumnChunkBuffer {
    /// Values of a page before it is closed and a new one begun. Around 1 MiB, as other writers do:
    /// small enough for a reader to skip through, large enough that headers cost nothing.
    static let pageBytes = 1 << 20

    let column: ParquetColumn
    private var values: [UInt8] = []
    private var levels: [UInt8] = []
    private var pageValueCount = 0
    private var pages: [UInt8] = []
    private(set) var valueCount = 0
    private var statistics: ColumnStatistics

    init(column: ParquetColumn) {
        self.column = column
        statistics = ColumnStatistics(type: column.type)
    }

    /// Bytes held: closed pages and the open one.
    var bufferedBytes: Int { pages.count + values.count + levels.count }

    /// Adds a value already converted to the column's type (`.null` only if it is nullable).
    mutating func append(_ value: ParquetValue) {
        switch value {
        case .null: break
        case .int64(let v): PlainEncoding.append(v, to: &values)
        case .double(let v): PlainEncoding.append(v, to: &values)
        case .float(let v): PlainEncoding.append(v, to: &values)
        case .string(let v): PlainEncoding.append(v, to: &values)
        }
        if column.nullable {
            if case .null = value { levels.append(0) } else { levels.append(1) }
        }
        statistics.add(value)
        pageValueCount += 1
        valueCount += 1
        if values.count >= Self.pageBytes { closePage() }
    }

    /// The chunk's pages, value count and statistics; the buffer starts a new chunk.
    mutating func take() -> (pages: [UInt8], valueCount: Int, statistics: ParquetStatistics) {
        closePage()
        let chunk = (pages: pages, valueCount: valueCount, statistics: statistics.encoded)
        pages = []
        valueCount = 0
        statistics = ColumnStatistics(type: column.type)
        return chunk
    }

    /// Writes the open page (header, then definition levels, then values) after the closed ones.
    private mutating func closePage() {
        guard pageValueCount > 0 else { return }
        var levelBytes: [UInt8] = []
        if column.nullable {
            let encoded = DefinitionLevelEncoder.encode(levels)
            // A v1 data page gives the length of the levels before them.
            PlainEncoding.appendLittleEndian(UInt32(encoded.count), to: &levelBytes)
            levelBytes.append(contentsOf: encoded)
        }
        let size = levelBytes.count + values.count
        // A page is at most pageBytes plus one value, and a value at most SQLite's 1e9-byte limit.
        var header = ThriftCompactWriter()
        header.structure(DataPageHeader(valueCount: Int32(clamping: pageValueCount), size: Int32(clamping: size)))
        pages.append(contentsOf: header.bytes)
        pages.append(contentsOf: levelBytes)
        pages.append(contentsOf: values)
        values.removeAll(keepingCapacity: true)
        levels.removeAll(keepingCapacity: true)
        pageValueCount = 0
    }
}
