/// The distinct values of one column chunk in first-seen order, each with its index, and their
/// PLAIN encoding: the body of the chunk's dictionary page.
///
/// Values are told apart by their bytes, as a reader sees them: numbers by bit pattern (so `0.0`
/// and `-0.0`, or NaNs with different payloads, stay distinct) and text by its UTF-8 bytes (Swift's
/// `String` equality would merge `"é"` with `"e\u{301}"`).
struct ColumnDictionary {
    private var numbers: [UInt64: UInt32] = [:]
    private var strings: [UTF8Key: UInt32] = [:]
    /// The values by index.
    private(set) var entries: [ParquetValue] = []
    /// The entries PLAIN-encoded, in index order.
    private(set) var plainBytes: [UInt8] = []
    /// The last value looked up, as runs of one value (a checkpoint, a coefficient) are common.
    private var last: (key: UInt64, index: UInt32)?

    var count: Int { entries.count }

    /// The index of `value`, added if new. `value` must not be `.null`.
    mutating func index(of value: ParquetValue) -> UInt32 {
        switch value {
        case .int64(let v): return index(ofBits: UInt64(bitPattern: v), value)
        case .double(let v): return index(ofBits: v.bitPattern, value)
        case .float(let v): return index(ofBits: UInt64(v.bitPattern), value)
        case .string(let v):
            let key = UTF8Key(text: v)
            if let known = strings[key] { return known }
            let index = UInt32(entries.count)
            strings[key] = index
            append(value)
            return index
        case .null:
            preconditionFailure("a null has no dictionary entry")
        }
    }

    private mutating func index(ofBits bits: UInt64, _ value: ParquetValue) -> UInt32 {
        if let last, last.key == bits { return last.index }
        let index: UInt32
        if let known = numbers[bits] {
            index = known
        } else {
            index = UInt32(entries.count)
            numbers[bits] = index
            append(value)
        }
        last = (bits, index)
        return index
    }

    private mutating func append(_ value: ParquetValue) {
        entries.append(value)
        PlainEncoding.append(value, to: &plainBytes)
    }
}

/// A string hashed and compared by its UTF-8 bytes, not by Unicode canonical equivalence.
private struct UTF8Key: Hashable {
    let text: String

    static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        // Native strings are contiguous UTF-8 already; a bridged one is copied once.
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
