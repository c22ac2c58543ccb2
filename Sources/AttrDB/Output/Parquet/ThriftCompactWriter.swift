/// The type codes of the Thrift compact protocol, as they appear in field and list headers.
enum ThriftCompactType: UInt8 {
    case boolTrue = 1
    case boolFalse = 2
    case i8 = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case structure = 12

    /// The code of a list element of this type: booleans are element type 2 in the specification
    /// (field headers carry the value in the type, elements carry it in a byte).
    var elementCode: UInt8 { self == .boolTrue ? ThriftCompactType.boolFalse.rawValue : rawValue }
}

/// A value that knows how to write itself as a Thrift struct, such as a Parquet page header.
protocol ThriftStruct {
    /// Writes the fields; the enclosing `struct` call writes the stop byte.
    func writeFields(to writer: inout ThriftCompactWriter)
}

/// Encodes Thrift structs in the compact protocol, the encoding of Parquet's page headers and footer.
///
/// Field ids are written as deltas from the previous field of the same struct, so fields must be
/// written in increasing id order within a struct; nested structs keep their own previous id.
///
/// ```swift
/// var writer = ThriftCompactWriter()
/// writer.structure { w in
///     w.field(1, i32: 4)
///     w.field(4, string: "attrdb")
/// }
/// // writer.bytes == [0x15, 0x08, 0x38, 0x06, 0x61, 0x74, 0x74, 0x72, 0x64, 0x62, 0x00]
/// ```
struct ThriftCompactWriter {
    private(set) var bytes: [UInt8] = []
    private var previousFieldID: Int16 = 0
    private var enclosingFieldIDs: [Int16] = []

    init() {}

    // MARK: Structs

    /// Writes a whole struct: the fields written by `body`, then the stop byte.
    mutating func structure(_ body: (inout ThriftCompactWriter) -> Void) {
        enclosingFieldIDs.append(previousFieldID)
        previousFieldID = 0
        body(&self)
        bytes.append(0)
        previousFieldID = enclosingFieldIDs.popLast() ?? 0
    }

    /// Writes a struct from a value that describes its own fields.
    mutating func structure(_ value: some ThriftStruct) {
        structure { value.writeFields(to: &$0) }
    }

    // MARK: Fields

    mutating func field(_ id: Int16, bool value: Bool) {
        fieldHeader(id, value ? .boolTrue : .boolFalse)
    }

    mutating func field(_ id: Int16, i8 value: Int8) {
        fieldHeader(id, .i8)
        bytes.append(UInt8(bitPattern: value))
    }

    mutating func field(_ id: Int16, i16 value: Int16) {
        fieldHeader(id, .i16)
        writeVarint(zigzag(Int64(value)))
    }

    mutating func field(_ id: Int16, i32 value: Int32) {
        fieldHeader(id, .i32)
        writeVarint(zigzag(Int64(value)))
    }

    mutating func field(_ id: Int16, i64 value: Int64) {
        fieldHeader(id, .i64)
        writeVarint(zigzag(value))
    }

    mutating func field(_ id: Int16, double value: Double) {
        fieldHeader(id, .double)
        append(littleEndian: value.bitPattern)
    }

    mutating func field(_ id: Int16, binary value: [UInt8]) {
        fieldHeader(id, .binary)
        element(binary: value)
    }

    mutating func field(_ id: Int16, string value: String) {
        fieldHeader(id, .binary)
        element(string: value)
    }

    /// A struct-valued field (also how a Thrift union is written: a struct with one field set).
    mutating func field(_ id: Int16, struct body: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .structure)
        structure(body)
    }

    mutating func field(_ id: Int16, struct value: some ThriftStruct) {
        fieldHeader(id, .structure)
        structure(value)
    }

    /// A list-valued field: the header, then `count` elements that `elements` writes with the
    /// `element(...)` and `structure(...)` calls.
    mutating func field(_ id: Int16, listOf type: ThriftCompactType, count: Int,
                        elements: (inout ThriftCompactWriter) -> Void) {
        fieldHeader(id, .list)
        listHeader(type, count: count)
        elements(&self)
    }

    mutating func field(_ id: Int16, i32List values: [Int32]) {
        field(id, listOf: .i32, count: values.count) { w in
            for value in values { w.element(i32: value) }
        }
    }

    mutating func field(_ id: Int16, stringList values: [String]) {
        field(id, listOf: .binary, count: values.count) { w in
            for value in values { w.element(string: value) }
        }
    }

    mutating func field(_ id: Int16, structList values: [some ThriftStruct]) {
        field(id, listOf: .structure, count: values.count) { w in
            for value in values { w.structure(value) }
        }
    }

    // MARK: List elements and bare values

    mutating func listHeader(_ type: ThriftCompactType, count: Int) {
        if count < 15 {
            bytes.append(UInt8(count) << 4 | type.elementCode)
        } else {
            bytes.append(0xF0 | type.elementCode)
            writeVarint(UInt64(count))
        }
    }

    mutating func element(bool value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func element(i32 value: Int32) { writeVarint(zigzag(Int64(value))) }

    mutating func element(i64 value: Int64) { writeVarint(zigzag(value)) }

    mutating func element(binary value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func element(string value: String) {
        let utf8 = value.utf8
        writeVarint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    // MARK: Encoding

    private mutating func fieldHeader(_ id: Int16, _ type: ThriftCompactType) {
        let delta = Int(id) - Int(previousFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeVarint(zigzag(Int64(id)))
        }
        previousFieldID = id
    }

    private func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    private mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private mutating func append(littleEndian value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
