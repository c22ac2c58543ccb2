/// Parquet's PLAIN encoding: numbers little-endian at their full width, byte arrays after a
/// 4-byte little-endian length. Statistics use the same bytes without the length.
enum PlainEncoding {
    static func append(_ value: Int64, to bytes: inout [UInt8]) {
        appendLittleEndian(UInt64(bitPattern: value), to: &bytes)
    }

    static func append(_ value: Double, to bytes: inout [UInt8]) {
        appendLittleEndian(value.bitPattern, to: &bytes)
    }

    static func append(_ value: Float, to bytes: inout [UInt8]) {
        appendLittleEndian(value.bitPattern, to: &bytes)
    }

    /// A length-prefixed UTF-8 byte array.
    static func append(_ value: String, to bytes: inout [UInt8]) {
        let utf8 = value.utf8
        // A cell comes from SQLite, whose strings stop at 1e9 bytes, so the length fits 32 bits.
        appendLittleEndian(UInt32(clamping: utf8.count), to: &bytes)
        bytes.append(contentsOf: utf8)
    }

    static func appendLittleEndian<T: FixedWidthInteger & UnsignedInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func bytes(_ value: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return bytes
    }

    static func bytes(_ value: Double) -> [UInt8] {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return bytes
    }

    static func bytes(_ value: Float) -> [UInt8] {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return bytes
    }
}

extension PlainEncoding {
    /// Appends any non-null value in its column type's PLAIN encoding.
    static func append(_ value: ParquetValue, to bytes: inout [UInt8]) {
        switch value {
        case .null: break
        case .int64(let v): append(v, to: &bytes)
        case .double(let v): append(v, to: &bytes)
        case .float(let v): append(v, to: &bytes)
        case .string(let v): append(v, to: &bytes)
        }
    }
}

extension PlainEncoding {
    /// The bytes `value` takes PLAIN-encoded.
    static func size(of value: ParquetValue) -> Int {
        switch value {
        case .null: return 0
        case .int64, .double: return 8
        case .float: return 4
        case .string(let v): return 4 + v.utf8.count
        }
    }
}
