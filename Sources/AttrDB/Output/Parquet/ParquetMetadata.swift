// The Thrift structures of parquet.thrift that attrdb writes, each with only the fields it sets.
// Field ids and enum values are parquet.thrift's; the comments name the Thrift fields.

/// Enum values from parquet.thrift.
enum ParquetCode {
    static let plainEncoding: Int32 = 0
    static let rleEncoding: Int32 = 3
    static let uncompressed: Int32 = 0
    static let dataPage: Int32 = 0
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

/// `PageHeader` of a v1 `DATA_PAGE`, PLAIN values, RLE levels, uncompressed.
struct DataPageHeader: ThriftStruct {
    var valueCount: Int32
    var size: Int32

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.field(1, i32: ParquetCode.dataPage)
        writer.field(2, i32: size)  // uncompressed_page_size
        writer.field(3, i32: size)  // compressed_page_size
        writer.field(5, struct: { w in  // data_page_header
            w.field(1, i32: valueCount)
            w.field(2, i32: ParquetCode.plainEncoding)
            w.field(3, i32: ParquetCode.rleEncoding)  // definition levels
            w.field(4, i32: ParquetCode.rleEncoding)  // repetition levels (none: no nesting)
        })
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
    /// Page headers and pages together; the same compressed and uncompressed, as nothing is compressed.
    var size: Int64
    var dataPageOffset: Int64
    var statistics: ParquetStatistics

    func writeFields(to writer: inout ThriftCompactWriter) {
        // file_offset: deprecated, and 0 says no ColumnMetaData is written outside the footer.
        writer.field(2, i64: 0)
        writer.field(3, struct: { w in  // meta_data
            w.field(1, i32: column.type.physicalTypeCode)
            w.field(2, i32List: [ParquetCode.plainEncoding, ParquetCode.rleEncoding])
            w.field(3, stringList: [column.name])  // path_in_schema
            w.field(4, i32: ParquetCode.uncompressed)
            w.field(5, i64: valueCount)
            w.field(6, i64: size)  // total_uncompressed_size
            w.field(7, i64: size)  // total_compressed_size
            w.field(9, i64: dataPageOffset)
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
        let size = columns.reduce(0) { $0 + $1.size }
        writer.field(1, structList: columns)
        writer.field(2, i64: size)  // total_byte_size
        writer.field(3, i64: rowCount)
        writer.field(5, i64: fileOffset)
        writer.field(6, i64: size)  // total_compressed_size
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
