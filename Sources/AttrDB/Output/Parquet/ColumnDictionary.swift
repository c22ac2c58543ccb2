import Foundation

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
    private var lastString: (text: String, index: UInt32)?
    /// The text entries by index, and for each the index of the text that followed it last time:
    /// labels cycle (every component at each coefficient), so the next one is usually foretold and
    /// costs a comparison instead of a hash look-up.
    private var texts: [String] = []
    private var successors: [UInt32] = []

    var count: Int { entries.count }

    /// The index of `value`, added if new. `value` must not be `.null`.
    mutating func index(of value: ParquetValue) -> UInt32 {
        switch value {
        case .int64(let v): return index(ofBits: UInt64(bitPattern: v), value)
        case .double(let v): return index(ofBits: v.bitPattern, value)
        case .float(let v): return index(ofBits: UInt64(v.bitPattern), value)
        case .string(let v):
            let index: UInt32
            if let lastString {
                // The same string object again (a label repeated row after row) needs no hashing.
                if UTF8Key.identical(lastString.text, v) { return lastString.index }
                let next = successors[Int(lastString.index)]
                if next != Self.noSuccessor && UTF8Key(text: texts[Int(next)]) == UTF8Key(text: v) {
                    self.lastString = (v, next)
                    return next
                }
                index = lookUp(v)
                successors[Int(lastString.index)] = index
            } else {
                index = lookUp(v)
            }
            lastString = (v, index)
            return index
        case .null:
            preconditionFailure("a null has no dictionary entry")
        }
    }

    private static let noSuccessor = UInt32.max

    /// The index of a text through the hash table, added if new.
    private mutating func lookUp(_ text: String) -> UInt32 {
        let key = UTF8Key(text: text)
        if let known = strings[key] { return known }
        let index = UInt32(entries.count)
        strings[key] = index
        texts.append(text)
        successors.append(Self.noSuccessor)
        append(.string(text))
        return index
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
        if identical(lhs.text, rhs.text) { return true }
        var left = lhs.text, right = rhs.text
        return left.withUTF8 { a in
            right.withUTF8 { b in a.count == b.count && (a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0) }
        }
    }

    /// Whether two strings are one value: the same storage object, or the same small string held
    /// inline. (Swift's own `==` begins with this test.)
    static func identical(_ a: String, _ b: String) -> Bool {
        unsafeBitCast(a, to: (UInt64, UInt64).self) == unsafeBitCast(b, to: (UInt64, UInt64).self)
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        // Native strings are contiguous UTF-8 already; a bridged one is copied once.
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
