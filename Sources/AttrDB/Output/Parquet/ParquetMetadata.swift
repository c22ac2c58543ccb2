// The Thrift structures of parquet.thrift that attrdb writes, each with only the fields it sets.
// Field ids and enum values are parquet.thrift's; the comments name the Thrift fields.

/// Enum values from parquet.thrift.
enum ParquetCode {
    static let plainEncoding: Int32 = 0
    static let rleEncoding: Int32 = 3
    static let rleDictionaryEncoding: Int32 = 8
    static let zstd: Int32 = 6
    static let dataPage: Int32 = 0
    static let dictionaryPage: Int32 = 2
    static let required: Int32 = 0
    static let optional: Int32 = 1
    static let utf8ConvertedType: Int32 = 0
}

/// `Statistics`: bounds plain-encoded (strings without their length prefix) in the column's
/// type-defined order, the null count, and for floating point columns the NaN count.
struct ParquetStatistics: ThriftStruct {
    var nullCount: Int64
    var min: [UInt8]?
    var max: [UInt8]?
    var nanCount: Int64?
    /// Whether the deprecated `min`/`max` fields may repeat the bounds: they are defined by signed
    /// comparison, which is the column order only for numbers.
    var signedOrder: Bool

    func writeFields(to writer: inout ThriftCompactWriter) {
        if signedOrder, let max, let min {
            writer.field(1, binary: max)
            writer.field(2, binary: min)
        }
        writer.field(3, i64: nullCount)
        if let max { writer.field(5, binary: max) }
        if let min { writer.field(6, binary: min) }
        if max != nil { writer.field(7, bool: true) }
        if min != nil { writer.field(8, bool: true) }
        if let nanCount { writer.field(9, i64: nanCount) }
    }
}

/// `PageHeader` of a v1 `DATA_PAGE` (RLE levels; values PLAIN or RLE_DICTIONARY) or of a
/// `DICTIONARY_PAGE` (PLAIN entries), with the sizes of its body before and after compression.
struct PageHeader: ThriftStruct {
    enum Kind {
        /// `valueCount` counts nulls too: it is the number of levels.
        case data(valueCount: Int32, encoding: Int32)
        case dictionary(entryCount: Int32)
    }

    var kind: Kind
    var uncompressedSize: Int32
    var compressedSize: Int32

    func writeFields(to writer: inout ThriftCompactWriter) {
        switch kind {
        case .data(let valueCount, let encoding):
            writer.field(1, i32: ParquetCode.dataPage)
            writer.field(2, i32: uncompressedSize)
            writer.field(3, i32: compressedSize)
            writer.field(5, struct: { w in  // data_page_header
                w.field(1, i32: valueCount)
                w.field(2, i32: encoding)
                w.field(3, i32: ParquetCode.rleEncoding)  // definition levels
                w.field(4, i32: ParquetCode.rleEncoding)  // repetition levels (none: no nesting)
            })
        case .dictionary(let entryCount):
            writer.field(1, i32: ParquetCode.dictionaryPage)
            writer.field(2, i32: uncompressedSize)
            writer.field(3, i32: compressedSize)
            writer.field(7, struct: { w in  // dictionary_page_header
                w.field(1, i32: entryCount)
                w.field(2, i32: ParquetCode.plainEncoding)
            })
        }
    }
}

/// `SchemaElement` of a leaf column.
struct SchemaLeaf: ThriftStruct {
    var column: ParquetColumn

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: column.type.physicalTypeCode)
        writer.field(3, i32: column.nullable ? ParquetCode.optional : ParquetCode.required)
        writer.field(4, string: column.name)
        if column.type == .string {
            writer.field(6, i32: ParquetCode.utf8ConvertedType)
            writer.field(10, struct: { w in w.field(1, struct: { _ in }) })  // logicalType: STRING
        }
    }
}

/// `ColumnChunk` with its `ColumnMetaData`, for one column of one row group.
struct ColumnChunkMetadata: ThriftStruct {
    var column: ParquetColumn
    var valueCount: Int64
    /// Whether the chunk begins with a dictionary page (and its data pages are RLE_DICTIONARY).
    var dictionaryEncoded: Bool
    /// Page headers and pages together, before and after compression.
    var uncompressedSize: Int64
    var compressedSize: Int64
    /// Where the chunk begins: its dictionary page, if any, else its first data page.
    var offset: Int64
    var firstDataPageOffset: Int64
    var statistics: ParquetStatistics

    func writeFields(to writer: inout ThriftCompactWriter) {
        // file_offset: deprecated, and 0 says no ColumnMetaData is written outside the footer.
        writer.field(2, i64: 0)
        writer.field(3, struct: { w in  // meta_data
            w.field(1, i32: column.type.physicalTypeCode)
            // PLAIN: the values, or the dictionary page's entries; RLE: the definition levels.
            w.field(2, i32List: [ParquetCode.plainEncoding, ParquetCode.rleEncoding]
                    + (dictionaryEncoded ? [ParquetCode.rleDictionaryEncoding] : []))
            w.field(3, stringList: [column.name])  // path_in_schema
            w.field(4, i32: ParquetCode.zstd)
            w.field(5, i64: valueCount)
            w.field(6, i64: uncompressedSize)  // total_uncompressed_size
            w.field(7, i64: compressedSize)  // total_compressed_size
            w.field(9, i64: firstDataPageOffset)
            if dictionaryEncoded { w.field(11, i64: offset) }  // dictionary_page_offset
            w.field(12, struct: statistics)
        })
    }
}

/// `RowGroup`.
struct RowGroupMetadata: ThriftStruct {
    var columns: [ColumnChunkMetadata]
    var rowCount: Int64
    var fileOffset: Int64
    var ordinal: Int16?

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, structList: columns)
        writer.field(2, i64: columns.reduce(0) { $0 + $1.uncompressedSize })  // total_byte_size
        writer.field(3, i64: rowCount)
        writer.field(5, i64: fileOffset)
        writer.field(6, i64: columns.reduce(0) { $0 + $1.compressedSize })  // total_compressed_size
        if let ordinal { writer.field(7, i16: ordinal) }
    }
}

/// `FileMetaData`: the footer.
struct FileMetadata: ThriftStruct {
    var columns: [ParquetColumn]
    var rowCount: Int64
    var rowGroups: [RowGroupMetadata]
    var createdBy: String

    func writeFields(to writer: inout ThriftCompactWriter) {
        // version 1: what the format asks writers to put for the widest compatibility.
        writer.field(1, i32: 1)
        writer.field(2, listOf: .structure, count: columns.count + 1) { w in
            w.structure { root in
                root.field(4, string: "schema")
                root.field(5, i32: Int32(columns.count))
            }
            for column in columns { w.structure(SchemaLeaf(column: column)) }
        }
        writer.field(3, i64: rowCount)
        writer.field(4, structList: rowGroups)
        writer.field(6, string: createdBy)
        // column_orders: TYPE_ORDER for every column, without which min_value and max_value
        // have no defined meaning.
        writer.field(7, listOf: .structure, count: columns.count) { w in
            for _ in columns { w.structure { order in order.field(1, struct: { _ in }) } }
        }
    }
}
