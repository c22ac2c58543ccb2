/// The header of a NumPy `.npy` file: format version, element type, memory order and shape.
///
/// Every problem is an ``IngestError`` naming the file, the byte offset and what was expected.
///
/// ```swift
/// let header = try bytes.withUnsafeBytes { try NPYHeader(parsing: $0, file: "run/attributions.npy") }
/// print(header.descr, header.shape)   // "<f4" [33, 128, 13]
/// ```
public struct NPYHeader: Sendable, Equatable {
    /// The format's major version: 1, 2 or 3 (the minor version is always 0).
    public var majorVersion: Int
    /// The element type as written in the header: `<f4`, `>f8`, `|u1`, … For a structured dtype,
    /// the text of its list literal.
    public var descr: String
    /// Whether the data is stored column-major (`fortran_order: True`).
    public var fortranOrder: Bool
    /// The array's shape; `[]` for a 0-d array.
    public var shape: [Int]
    /// Where the data starts: the magic string, version, length field and header dict together.
    public var dataOffset: Int
    /// Where the value of `descr` starts, so that a dtype error points at it.
    var descrOffset: Int
    /// Where the value of `shape` starts.
    var shapeOffset: Int

    /// The 6-byte magic string every `.npy` file starts with.
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// The element type, or `nil` for a structured dtype or one this reader does not recognise.
    public var dtype: DType? { DType(descr: descr) }

    /// The number of elements the shape holds, or `nil` when it overflows `Int`.
    public var elementCount: Int? {
        var product = 1
        for extent in shape {
            let (next, overflow) = product.multipliedReportingOverflow(by: extent)
            if overflow { return nil }
            product = next
        }
        return product
    }

    /// Parses the header at the start of `bytes`, the whole file or at least its header.
    ///
    /// Checks the magic string, the version, the header length and the dict literal with its three
    /// keys; it does not check the dtype or the data size (see ``floatDType(file:)`` and
    /// ``checkDataSize(fileSize:file:)``), so that callers can read other dtypes too.
    public init(parsing bytes: UnsafeRawBufferPointer, file: String) throws {
        guard bytes.count >= Self.magic.count, bytes.prefix(Self.magic.count).elementsEqual(Self.magic) else {
            let found = bytes.isEmpty ? "an empty file" : "'\(Self.escaped(bytes.prefix(Self.magic.count)))'"
            throw IngestError(file: file, location: .offset(0),
                              expected: "the .npy magic string '\\x93NUMPY'", found: found)
        }
        guard bytes.count >= 8 else {
            throw IngestError(file: file, location: .offset(6), expected: "the format version (2 bytes)",
                              found: "end of file at byte \(bytes.count)")
        }
        let major = Int(bytes[6]), minor = Int(bytes[7])
        guard (1...3).contains(major), minor == 0 else {
            throw IngestError(file: file, location: .offset(6), expected: "format version 1.0, 2.0 or 3.0",
                              found: "version \(major).\(minor)")
        }
        // Version 1.0 has a 2-byte header length, 2.0 and 3.0 a 4-byte one.
        let lengthSize = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthSize else {
            throw IngestError(file: file, location: .offset(8), expected: "the header length (\(lengthSize) bytes)",
                              found: "end of file at byte \(bytes.count)")
        }
        var headerLength = 0
        for index in (0..<lengthSize).reversed() {
            headerLength = headerLength << 8 | Int(bytes[8 + index])
        }
        let headerStart = 8 + lengthSize
        let dataOffset = headerStart + headerLength
        guard dataOffset <= bytes.count else {
            throw IngestError(file: file, location: .offset(8),
                              expected: "a header of \(headerLength) bytes ending at byte \(dataOffset)",
                              found: "end of file at byte \(bytes.count)")
        }

        // Versions 1.0 and 2.0 encode the header in latin-1, 3.0 in UTF-8.
        var parser = PythonLiteralParser(bytes: bytes, range: headerStart..<dataOffset, file: file, utf8: major == 3)
        let entries = try parser.parseHeaderDict()

        func entry(_ key: String) throws -> PythonLiteralParser.Parsed {
            guard let found = entries.first(where: { $0.key == key }) else {
                let keys = entries.map { "'\($0.key)'" }.joined(separator: ", ")
                throw IngestError(file: file, location: .offset(headerStart),
                                  expected: "the key '\(key)' in the header dict",
                                  found: entries.isEmpty ? "an empty dict" : "only the keys \(keys)")
            }
            return found.value
        }

        let descrEntry = try entry("descr")
        switch descrEntry.value {
        case .string(let text): descr = text
        case .list: descr = parser.text(of: descrEntry)
        default:
            throw IngestError(file: file, location: .offset(descrEntry.range.lowerBound),
                              expected: "a dtype string such as '<f4' for 'descr'", found: parser.text(of: descrEntry))
        }

        let orderEntry = try entry("fortran_order")
        guard case .boolean(let fortran) = orderEntry.value else {
            throw IngestError(file: file, location: .offset(orderEntry.range.lowerBound),
                              expected: "True or False for 'fortran_order'", found: parser.text(of: orderEntry))
        }

        let shapeEntry = try entry("shape")
        var extents: [Int] = []
        switch shapeEntry.value {
        case .tuple(let items), .list(let items):
            for item in items {
                guard case .integer(let extent) = item.value, extent >= 0 else {
                    throw IngestError(file: file, location: .offset(item.range.lowerBound),
                                      expected: "a non-negative integer in 'shape'", found: parser.text(of: item))
                }
                extents.append(extent)
            }
        default:
            throw IngestError(file: file, location: .offset(shapeEntry.range.lowerBound),
                              expected: "a tuple of integers for 'shape'", found: parser.text(of: shapeEntry))
        }

        self.majorVersion = major
        self.fortranOrder = fortran
        self.shape = extents
        self.dataOffset = dataOffset
        self.descrOffset = descrEntry.range.lowerBound
        self.shapeOffset = shapeEntry.range.lowerBound
    }

    /// The shape as Python prints it: `(33, 128, 13)`, `(5,)`, `()`.
    public var shapeText: String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// The element type when it is one attrdb stores as attributions (float16, float32 or float64,
    /// either byte order); otherwise an error naming the dtype found.
    func floatDType(file: String) throws -> DType {
        if let dtype, dtype.kind == .float, DType.floatSizes.contains(dtype.itemSize) { return dtype }
        let what: String
        if descr.hasPrefix("[") {
            what = "a structured dtype"
        } else if let dtype {
            what = dtype.kindDescription
        } else {
            what = "an unknown dtype"
        }
        throw IngestError(file: file, location: .offset(descrOffset),
                          expected: "a float dtype (<f4, >f4, <f8, >f8, <f2 or >f2)",
                          found: "'\(descr)' (\(what))")
    }

    /// Checks that the data after the header is exactly shape × item size bytes.
    func checkDataSize(fileSize: Int, itemSize: Int, file: String) throws {
        let found = fileSize - dataOffset
        guard let count = elementCount, case (let expected, false) = count.multipliedReportingOverflow(by: itemSize) else {
            throw IngestError(file: file, location: .offset(shapeOffset),
                              expected: "a shape whose size fits in memory", found: shapeText)
        }
        guard expected == found else {
            throw IngestError(file: file, location: .offset(dataOffset),
                              expected: "\(expected) bytes of data for shape \(shapeText) of '\(descr)'",
                              found: "\(found) bytes")
        }
    }

    /// Bytes shown the way Python prints them: printable ASCII as is, the rest as `\xNN`.
    static func escaped<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { byte in
            (0x20..<0x7F).contains(byte) && byte != 0x5C && byte != 0x27
                ? String(UnicodeScalar(byte))
                : "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined()
    }
}

extension NPYHeader {
    /// A simple (non-structured) NumPy dtype: byte order, kind and item size, e.g. `<f4`.
    public struct DType: Sendable, Equatable, CustomStringConvertible {
        /// NumPy's kind characters.
        public enum Kind: Character, Sendable {
            case float = "f", signedInteger = "i", unsignedInteger = "u", complex = "c", boolean = "b"
            case unicode = "U", bytes = "S", object = "O", void = "V", datetime = "M", timedelta = "m"
        }

        /// The item sizes of the floats attrdb reads: float16, float32, float64.
        static let floatSizes: Set<Int> = [2, 4, 8]

        public var kind: Kind
        /// Bytes per element (for `<U5`, 20: NumPy stores unicode as UTF-32).
        public var itemSize: Int
        /// Whether multi-byte values are stored most significant byte first (`>`).
        public var isBigEndian: Bool
        /// The descr as written, e.g. `<f4`.
        public var description: String

        /// Parses a descr such as `<f4`, `>f8`, `=f2`, `|u1`, `<U12`; `nil` when it is not one.
        public init?(descr: String) {
            var rest = Substring(descr)
            var bigEndian = false
            switch rest.first {
            case "<": rest.removeFirst()
            case ">": rest.removeFirst(); bigEndian = true
            // Native order: every platform Swift on Linux and macOS runs on is little-endian, but say so.
            case "=": rest.removeFirst(); bigEndian = Self.hostIsBigEndian
            case "|": rest.removeFirst(); bigEndian = Self.hostIsBigEndian
            default: bigEndian = Self.hostIsBigEndian
            }
            guard let first = rest.first, let kind = Kind(rawValue: first) else { return nil }
            rest.removeFirst()
            let count: Int
            if rest.isEmpty, kind == .object {
                count = 8
            } else if let number = Int(rest), number >= 0 {
                count = number
            } else {
                return nil
            }
            // Datetimes carry a unit in brackets (`<M8[ns]`); Int("8[ns]") fails, and they are unsupported anyway.
            self.kind = kind
            self.itemSize = kind == .unicode ? count * 4 : count
            self.isBigEndian = bigEndian
            self.description = descr
        }

        static var hostIsBigEndian: Bool {
            #if _endian(big)
            return true
            #else
            return false
            #endif
        }

        /// Whether values must be byte-swapped to be read on this machine.
        var needsSwap: Bool { itemSize > 1 && kind != .bytes && isBigEndian != Self.hostIsBigEndian }

        /// A few words for error messages: "32-bit signed integer", "complex", ….
        var kindDescription: String {
            let bits = "\(itemSize * 8)-bit "
            switch kind {
            case .float: return bits + "float"
            case .signedInteger: return bits + "signed integer"
            case .unsignedInteger: return bits + "unsigned integer"
            case .complex: return bits + "complex"
            case .boolean: return "boolean"
            case .unicode: return "unicode string"
            case .bytes: return "byte string"
            case .object: return "Python objects"
            case .void: return "raw bytes"
            case .datetime: return "datetime"
            case .timedelta: return "timedelta"
            }
        }
    }
}

/// Reads the Python dict literal of an `.npy` header: strings, integers, booleans, `None`,
/// tuples, lists and dicts, with any spacing and trailing commas.
struct PythonLiteralParser {
    indirect enum Value {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case none
        case tuple([Parsed])
        case list([Parsed])
        case dict([(key: String, value: Parsed)])
    }

    /// A value and the byte range of its text in the file.
    struct Parsed {
        var value: Value
        var range: Range<Int>
    }

    private let bytes: UnsafeRawBufferPointer
    private let end: Int
    private let file: String
    private let utf8: Bool
    private var position: Int
    /// How many tuples, lists and dicts enclose the current position, the header dict included.
    private var depth = 0
    /// Real headers nest a few levels (a structured dtype's fields); the limit keeps a hostile one
    /// from recursing until the stack overflows, as 200 000 '(' did.
    static let maxDepth = 64

    init(bytes: UnsafeRawBufferPointer, range: Range<Int>, file: String, utf8: Bool) {
        self.bytes = bytes
        self.end = range.upperBound
        self.file = file
        self.utf8 = utf8
        self.position = range.lowerBound
    }

    /// The header's text for `parsed`, for error messages.
    func text(of parsed: Parsed) -> String {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[parsed.range])
        return utf8 ? String(decoding: slice, as: UTF8.self) : String(slice.map { Character(UnicodeScalar($0)) })
    }

    /// The top-level dict, which must be followed by nothing but padding.
    mutating func parseHeaderDict() throws -> [(key: String, value: Parsed)] {
        skipSpace()
        guard peek == UInt8(ascii: "{") else { throw unexpected("a Python dict literal starting with '{'") }
        let parsed = try parseValue()
        skipSpace()
        guard position == end else { throw unexpected("only padding after the header dict") }
        guard case .dict(let entries) = parsed.value else { throw unexpected("a Python dict literal") }
        return entries
    }

    private var peek: UInt8? { position < end ? bytes[position] : nil }

    private mutating func skipSpace() {
        // numpy pads with spaces and ends with '\n'; some writers pad with NULs.
        while let byte = peek, byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0 {
            position += 1
        }
    }

    private func unexpected(_ expected: String) -> IngestError {
        let found: String
        if let byte = peek {
            found = "'\(NPYHeader.escaped([byte]))'"
        } else {
            found = "the end of the header"
        }
        return IngestError(file: file, location: .offset(position), expected: expected, found: found)
    }

    private mutating func expect(_ character: Character) throws {
        skipSpace()
        guard let ascii = character.asciiValue, peek == ascii else { throw unexpected("'\(character)'") }
        position += 1
    }

    private mutating func parseValue() throws -> Parsed {
        skipSpace()
        let start = position
        guard let byte = peek else { throw unexpected("a value") }
        let value: Value
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            value = .string(try parseString())
        case UInt8(ascii: "{"):
            value = try parseDict()
        case UInt8(ascii: "("):
            value = .tuple(try parseSequence(closing: ")"))
        case UInt8(ascii: "["):
            value = .list(try parseSequence(closing: "]"))
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            value = .integer(try parseInteger())
        default:
            if consume("True") {
                value = .boolean(true)
            } else if consume("False") {
                value = .boolean(false)
            } else if consume("None") {
                value = .none
            } else {
                throw unexpected("a string, number, True, False, None, tuple, list or dict")
            }
        }
        return Parsed(value: value, range: start..<position)
    }

    private mutating func consume(_ word: String) -> Bool {
        let ascii = Array(word.utf8)
        guard position + ascii.count <= end,
              (0..<ascii.count).allSatisfy({ bytes[position + $0] == ascii[$0] }) else { return false }
        // Reject identifiers that merely start with the word, such as `Truey`.
        if position + ascii.count < end {
            let next = bytes[position + ascii.count]
            if next == UInt8(ascii: "_") || (next >= 0x30 && next <= 0x39) || ((next | 0x20) >= 0x61 && (next | 0x20) <= 0x7A) {
                return false
            }
        }
        position += ascii.count
        return true
    }

    private mutating func parseString() throws -> String {
        let quote = bytes[position]
        position += 1
        var content: [UInt8] = []
        while true {
            guard let byte = peek else { throw unexpected("a closing quote") }
            position += 1
            if byte == quote { break }
            if byte == UInt8(ascii: "\\") {
                guard let escapedByte = peek else { throw unexpected("an escaped character") }
                position += 1
                switch escapedByte {
                case UInt8(ascii: "n"): content.append(0x0A)
                case UInt8(ascii: "t"): content.append(0x09)
                case UInt8(ascii: "r"): content.append(0x0D)
                case UInt8(ascii: "0"): content.append(0)
                default: content.append(escapedByte)
                }
            } else {
                content.append(byte)
            }
        }
        return utf8 ? String(decoding: content, as: UTF8.self) : String(content.map { Character(UnicodeScalar($0)) })
    }

    private mutating func parseInteger() throws -> Int {
        var negative = false
        if peek == UInt8(ascii: "-") || peek == UInt8(ascii: "+") {
            negative = peek == UInt8(ascii: "-")
            position += 1
        }
        let digitsStart = position
        var value = 0
        while let byte = peek, byte >= 0x30, byte <= 0x39 {
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.addingReportingOverflow(Int(byte - 0x30))
            if overflowA || overflowB {
                position = digitsStart
                throw unexpected("an integer that fits in 64 bits")
            }
            value = next
            position += 1
        }
        guard position > digitsStart else { throw unexpected("a digit") }
        // Python 2 wrote long integers with an `L` suffix: `(3L, 4L)`.
        if peek == UInt8(ascii: "L") { position += 1 }
        return negative ? -value : value
    }

    /// Enters a tuple, list or dict at `position`, refusing one nested too deep.
    private mutating func nest() throws {
        guard depth < Self.maxDepth else {
            throw IngestError(file: file, location: .offset(position),
                              expected: "values nested at most \(Self.maxDepth) levels deep", found: "a \(Self.maxDepth + 1)th level")
        }
        depth += 1
    }

    private mutating func parseSequence(closing: Character) throws -> [Parsed] {
        try nest()
        defer { depth -= 1 }
        position += 1
        var items: [Parsed] = []
        while true {
            skipSpace()
            if let ascii = closing.asciiValue, peek == ascii {
                position += 1
                return items
            }
            items.append(try parseValue())
            skipSpace()
            if peek == UInt8(ascii: ",") {
                position += 1
            } else if let ascii = closing.asciiValue, peek == ascii {
                continue
            } else {
                throw unexpected("',' or '\(closing)'")
            }
        }
    }

    private mutating func parseDict() throws -> Value {
        try nest()
        defer { depth -= 1 }
        position += 1
        var entries: [(key: String, value: Parsed)] = []
        while true {
            skipSpace()
            if peek == UInt8(ascii: "}") {
                position += 1
                return .dict(entries)
            }
            guard peek == UInt8(ascii: "'") || peek == UInt8(ascii: "\"") else { throw unexpected("a quoted key or '}'") }
            let key = try parseString()
            try expect(":")
            entries.append((key, try parseValue()))
            skipSpace()
            if peek == UInt8(ascii: ",") {
                position += 1
            } else if peek != UInt8(ascii: "}") {
                throw unexpected("',' or '}'")
            }
        }
    }
}
