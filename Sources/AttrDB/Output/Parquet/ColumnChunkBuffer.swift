/// The values of one column of the row group being written, held until the row group is complete
/// (a column chunk must be contiguous in the file, so no column can go out before the last row),
/// then written as ZSTD-compressed v1 pages: a PLAIN dictionary page and RLE_DICTIONARY data pages
/// where the dictionary makes the chunk smaller, else PLAIN data pages.
///
/// A chunk begins with a dictionary. It falls back to PLAIN as soon as the dictionary outgrows
/// ``ParquetEncodingOptions/dictionaryPageBytes`` or, after
/// ``ParquetEncodingOptions/dictionaryProbeValues`` values, holds nearly as many entries as values
/// (as for float32 attributions), and at the end when PLAIN would be smaller. Either way the column's later chunks go PLAIN
/// from their first row: building a dictionary that is thrown away costs a hash look-up a value,
/// and a column's values keep their character from one row group to the next.
struct ColumnChunkBuffer {
    /// A chunk ready for the file: its pages and what the column chunk's metadata says of them.
    struct Chunk {
        /// Page headers and compressed pages, the dictionary page first if there is one.
        var bytes: [UInt8]
        /// The bytes of the dictionary page and its header, 0 without one: the first data page
        /// follows them.
        var dictionaryPageBytes: Int
        var uncompressedSize: Int
        var valueCount: Int
        var statistics: ParquetStatistics
    }

    /// A closed page, not yet compressed.
    private struct Page {
        var header: PageHeader.Kind
        var body: [UInt8]
    }

    let column: ParquetColumn
    let options: ParquetEncodingOptions
    private(set) var valueCount = 0
    private var statistics: ColumnStatistics

    /// The definition levels of a nullable column: of the whole chunk while it has a dictionary
    /// (its pages are cut at the end), else of the open PLAIN page.
    private var levels: [UInt8] = []
    /// nil once the chunk, or an earlier chunk of the column, fell back to PLAIN.
    private var dictionary: ColumnDictionary?
    /// Each non-null value's dictionary index, for the whole chunk.
    private var indices: [UInt32] = []
    /// What the non-null values so far would take PLAIN-encoded.
    private var plainSize = 0
    private var dictionaryAbandoned = false

    private var plainValues: [UInt8] = []
    private var plainPageRows = 0
    private var closedPages: [Page] = []
    private var closedPageBytes = 0

    init(column: ParquetColumn, options: ParquetEncodingOptions = ParquetEncodingOptions()) {
        self.column = column
        self.options = options
        statistics = ColumnStatistics(type: column.type)
        dictionary = ColumnDictionary()
    }

    /// Bytes held: closed pages, the open one, the dictionary and its indices.
    var bufferedBytes: Int {
        closedPageBytes + plainValues.count + levels.count + indices.count * 4 + (dictionary?.plainBytes.count ?? 0)
    }

    /// Adds a value already converted to the column's type (`.null` only if it is nullable).
    mutating func append(_ value: ParquetValue) {
        statistics.add(value)
        valueCount += 1
        guard dictionary != nil else { return appendPlain(value) }
        if column.nullable {
            if case .null = value { levels.append(0); return }
            levels.append(1)
        }
        indices.append(dictionary!.index(of: value))
        plainSize += PlainEncoding.size(of: value)
        if dictionary!.plainBytes.count > options.dictionaryPageBytes
            || (indices.count == options.dictionaryProbeValues && !options.alwaysDictionary && dictionary!.count * 10 >= indices.count * 9) {
            fallBackToPlain(abandoning: true)
        }
    }

    /// The chunk's pages, compressed, with its value count and statistics; the buffer starts a new chunk.
    mutating func take(compressor: ZstdCompressor) throws -> Chunk {
        var chunk = Chunk(bytes: [], dictionaryPageBytes: 0, uncompressedSize: 0, valueCount: valueCount,
                          statistics: statistics.encoded)
        if let dictionary, !dictionary.entries.isEmpty, options.alwaysDictionary || dictionarySize(dictionary) < plainSize {
            let page = Page(header: .dictionary(entryCount: Int32(dictionary.count)), body: dictionary.plainBytes)
            try frame(page, into: &chunk, compressor: compressor)
            chunk.dictionaryPageBytes = chunk.bytes.count
            for page in dictionaryDataPages(bitWidth: Self.indexBitWidth(entryCount: dictionary.count)) {
                try frame(page, into: &chunk, compressor: compressor)
            }
        } else {
            // A chunk of nulls only has no dictionary to lose; the next chunk may still want one.
            if let dictionary { fallBackToPlain(abandoning: !dictionary.entries.isEmpty) }
            closePlainPage()
            for page in closedPages { try frame(page, into: &chunk, compressor: compressor) }
        }
        reset()
        return chunk
    }

    /// The bit width of the indices into a dictionary of `entryCount` entries: enough for the
    /// largest index, so 0 for a single entry (as parquet-mr writes it).
    static func indexBitWidth(entryCount: Int) -> Int {
        RLEHybridEncoding.bitWidth(forMaximum: UInt32(max(entryCount - 1, 0)))
    }

    /// The dictionary page and the indices at most, RLE runs ignored.
    private func dictionarySize(_ dictionary: ColumnDictionary) -> Int {
        dictionary.plainBytes.count + (indices.count * Self.indexBitWidth(entryCount: dictionary.count) + 7) / 8
    }

    /// Data pages of the chunk's indices, each with its rows' levels, cut so that no page's
    /// indices take more than `dataPageBytes` bit-packed.
    private func dictionaryDataPages(bitWidth: Int) -> [Page] {
        let rowsPerPage = max(8, options.dataPageBytes * 8 / max(bitWidth, 1))
        var pages: [Page] = []
        var row = 0, index = 0
        while row < valueCount {
            let end = min(valueCount, row + rowsPerPage)
            var body: [UInt8] = []
            var present = end - row
            if column.nullable {
                let pageLevels = levels[row..<end]
                present = pageLevels.reduce(0) { $0 + Int($1) }
                Self.appendLevels(pageLevels, to: &body)
            }
            body.append(UInt8(bitWidth))
            indices[index..<(index + present)].withUnsafeBufferPointer {
                RLEHybridEncoding.encode($0, bitWidth: bitWidth, to: &body)
            }
            pages.append(Page(header: .data(valueCount: Int32(end - row), encoding: ParquetCode.rleDictionaryEncoding),
                              body: body))
            row = end
            index += present
        }
        return pages
    }

    /// Replays the chunk's values so far as PLAIN and drops the dictionary, when `abandoning`
    /// for the column's later chunks too.
    private mutating func fallBackToPlain(abandoning: Bool) {
        guard let entries = dictionary?.entries else { return }
        dictionary = nil
        dictionaryAbandoned = dictionaryAbandoned || abandoning
        let chunkLevels = levels, chunkIndices = indices
        levels = []
        indices = []
        var next = 0
        let rows = column.nullable ? chunkLevels.count : chunkIndices.count
        for row in 0..<rows {
            if column.nullable && chunkLevels[row] == 0 {
                appendPlain(.null)
            } else {
                appendPlain(entries[Int(chunkIndices[next])])
                next += 1
            }
        }
    }

    private mutating func appendPlain(_ value: ParquetValue) {
        PlainEncoding.append(value, to: &plainValues)
        if column.nullable {
            if case .null = value { levels.append(0) } else { levels.append(1) }
        }
        plainPageRows += 1
        if plainValues.count >= options.dataPageBytes { closePlainPage() }
    }

    /// Closes the open PLAIN page: definition levels, then values.
    private mutating func closePlainPage() {
        guard plainPageRows > 0 else { return }
        var body: [UInt8] = []
        if column.nullable { Self.appendLevels(levels[...], to: &body) }
        body.append(contentsOf: plainValues)
        // A page is at most dataPageBytes plus one value, and a value at most SQLite's 1e9-byte limit.
        closedPages.append(Page(header: .data(valueCount: Int32(clamping: plainPageRows), encoding: ParquetCode.plainEncoding),
                                body: body))
        closedPageBytes += body.count
        plainValues.removeAll(keepingCapacity: true)
        levels.removeAll(keepingCapacity: true)
        plainPageRows = 0
    }

    /// A v1 data page's definition levels: their encoded length, then the RLE / bit-packed hybrid.
    private static func appendLevels(_ levels: ArraySlice<UInt8>, to body: inout [UInt8]) {
        let encoded = DefinitionLevelEncoder.encode(levels)
        PlainEncoding.appendLittleEndian(UInt32(encoded.count), to: &body)
        body.append(contentsOf: encoded)
    }

    /// Appends the page's header and its compressed body to the chunk.
    private func frame(_ page: Page, into chunk: inout Chunk, compressor: ZstdCompressor) throws {
        let compressed = try compressor.compress(page.body)
        var header = ThriftCompactWriter()
        header.structure(PageHeader(kind: page.header, uncompressedSize: Int32(clamping: page.body.count),
                                    compressedSize: Int32(clamping: compressed.count)))
        chunk.bytes.append(contentsOf: header.bytes)
        chunk.bytes.append(contentsOf: compressed)
        chunk.uncompressedSize += header.bytes.count + page.body.count
    }

    private mutating func reset() {
        valueCount = 0
        statistics = ColumnStatistics(type: column.type)
        levels.removeAll(keepingCapacity: true)
        indices.removeAll(keepingCapacity: true)
        plainSize = 0
        dictionary = dictionaryAbandoned ? nil : ColumnDictionary()
        plainValues.removeAll(keepingCapacity: true)
        plainPageRows = 0
        closedPages = []
        closedPageBytes = 0
    }
}
