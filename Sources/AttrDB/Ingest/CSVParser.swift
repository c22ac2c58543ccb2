import Foundation

/// A push parser of RFC 4180 records: feed it bytes in chunks of any size, get records of fields
/// with the line each record started on. Quoted fields may hold delimiters, quotes (doubled) and
/// line breaks. CRLF and LF both end a record (so does a lone CR). Fields must be UTF-8: invalid
/// bytes are an error, never replaced.
///
/// Records are handed over as ``CSVRecord`` views of byte ranges, never as Strings: a line without
/// quotes or a lone CR that lies whole in one chunk (nearly every line) is split where it lies, in
/// one pass; anything else goes through the byte-at-a-time state machine, which copies its fields.
/// Both give the same records and the same errors.
struct CSVParser {
    let delimiter: UInt8
    private(set) var line = 1
    private var recordLine = 1
    /// The state machine's record: its fields' bytes back to back, and each field's bounds in them.
    private var bytes: [UInt8] = []
    private var bounds: [Int] = []
    private var fieldStart = 0
    private var inQuotes = false
    private var quoteClosed = false
    private var pendingCR = false
    private var fieldStarted = false
    /// The bounds of a record split in place (start, end pairs into the chunk), reused line to line.
    private var lineBounds: [Int] = []

    init(delimiter: UInt8 = UInt8(ascii: ",")) {
        self.delimiter = delimiter
        bytes.reserveCapacity(256)
        lineBounds.reserveCapacity(64)
    }

    /// The longest field: a label or a number is far shorter, and a field without end (a gzip bomb
    /// of one line) must not take all memory. Checked once a chunk, so a field may pass it by a chunk.
    static let maxFieldBytes = 1 << 20
    /// The most fields in a record, and the most bytes: a line of delimiters alone must not take all memory either.
    static let maxFields = 1 << 16
    static let maxRecordBytes = 1 << 24

    /// Parses `chunk`, calling `emit` for every complete record.
    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ emit: (CSVRecord) throws -> Void) throws {
        guard let base = chunk.baseAddress else { return }
        let n = chunk.count
        var i = 0
        while i < n {
            // The next line break: the state machine takes the line when a record is already under
            // way or the line has a quote or a CR inside; otherwise it is split in place.
            guard let found = memchr(base + i, 0x0A, n - i) else {
                try parse(UnsafeRawBufferPointer(rebasing: chunk[i..<n]), emit)
                break
            }
            let lf = UnsafeRawPointer(found) - base
            let split = try isIdle && splitInPlace(base, from: i, to: lf, emit)
            if !split {
                try parse(UnsafeRawBufferPointer(rebasing: chunk[i...lf]), emit)
            }
            i = lf + 1
        }
        if bytes.count - fieldStart > Self.maxFieldBytes { throw CSVParserError.fieldTooLong(line: recordLine, field: bounds.count / 2) }
        if bytes.count > Self.maxRecordBytes { throw CSVParserError.recordTooLong(line: recordLine) }
    }

    /// True between records: no field, quote or CR pending.
    private var isIdle: Bool { !inQuotes && !fieldStarted && !pendingCR && bytes.isEmpty && bounds.isEmpty }

    /// Splits the line `base[from..<lf]` (a CR before the LF dropped) into fields where it lies and
    /// emits it; false, having changed nothing, when the line needs the state machine.
    private mutating func splitInPlace(_ base: UnsafeRawPointer, from: Int, to lf: Int, _ emit: (CSVRecord) throws -> Void) throws -> Bool {
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var end = lf
        if end > from && bytes[end - 1] == 0x0D { end -= 1 }
        if end - from > Self.maxFieldBytes { return false }
        lineBounds.removeAll(keepingCapacity: true)
        var start = from, high: UInt8 = 0
        var k = from
        while k < end {
            let byte = bytes[k]
            if byte == delimiter {
                lineBounds.append(start)
                lineBounds.append(k)
                start = k + 1
            } else if byte == 0x22 || byte == 0x0D {
                return false
            }
            high |= byte
            k += 1
        }
        lineBounds.append(start)
        lineBounds.append(end)
        if lineBounds.count / 2 > Self.maxFields { return false }
        let recordLine = line
        line += 1
        self.recordLine = line
        // A blank line is no record.
        if end == from { return true }
        if high >= 0x80 {
            for field in 0..<lineBounds.count / 2 {
                let range = UnsafeRawBufferPointer(start: base + lineBounds[2 * field], count: lineBounds[2 * field + 1] - lineBounds[2 * field])
                if let bad = UTF8Validation.invalidOffset(range) {
                    throw CSVParserError.invalidUTF8(line: recordLine, field: field, byte: range[bad])
                }
            }
        }
        try lineBounds.withUnsafeBufferPointer { try emit(CSVRecord(base: base, bounds: $0, line: recordLine)) }
        return true
    }

    /// The state machine, a byte at a time.
    private mutating func parse(_ chunk: UnsafeRawBufferPointer, _ emit: (CSVRecord) throws -> Void) throws {
        for byte in chunk {
            if pendingCR {
                pendingCR = false
                if byte == 0x0A { continue }
            }
            if inQuotes {
                if byte == 0x22 {
                    inQuotes = false
                    quoteClosed = true
                } else {
                    if byte == 0x0A { line += 1 }
                    bytes.append(byte)
                }
                continue
            }
            switch byte {
            case 0x22:
                if quoteClosed { bytes.append(0x22); inQuotes = true; quoteClosed = false }  // "" inside quotes
                else if !fieldStarted { inQuotes = true; fieldStarted = true }
                else { bytes.append(byte) }
            case delimiter:
                try endField()
            case 0x0A, 0x0D:
                try endField()
                try endRecord(emit)
                line += 1
                recordLine = line
                pendingCR = byte == 0x0D
            default:
                quoteClosed = false
                fieldStarted = true
                bytes.append(byte)
            }
        }
    }

    /// The line of a record begun but not ended by a line break, or nil: where input that stopped
    /// mid-record stopped.
    var partialRecordLine: Int? {
        inQuotes || fieldStarted || bytes.count > fieldStart || !bounds.isEmpty ? recordLine : nil
    }

    /// Ends the input: emits a last record that had no final line break.
    mutating func finish(_ emit: (CSVRecord) throws -> Void) throws {
        if inQuotes { throw CSVParserError.unterminatedQuote(line: recordLine) }
        if partialRecordLine != nil {
            try endField()
            try endRecord(emit)
        }
    }

    private mutating func endField() throws {
        let field = bounds.count / 2
        if field >= Self.maxFields { throw CSVParserError.tooManyFields(line: recordLine) }
        // Most fields are ASCII: only those with a high byte need the full check.
        if bytes[fieldStart...].contains(where: { $0 >= 0x80 }),
           let bad = bytes[fieldStart...].withUnsafeBytes({ UTF8Validation.invalidOffset($0) }) {
            throw CSVParserError.invalidUTF8(line: recordLine, field: field, byte: bytes[fieldStart + bad])
        }
        bounds.append(fieldStart)
        bounds.append(bytes.count)
        fieldStart = bytes.count
        fieldStarted = false
        quoteClosed = false
    }

    private mutating func endRecord(_ emit: (CSVRecord) throws -> Void) throws {
        defer {
            bytes.removeAll(keepingCapacity: true)
            bounds.removeAll(keepingCapacity: true)
            fieldStart = 0
        }
        // A blank line is no record.
        if bounds.count == 2 && bounds[1] == bounds[0] { return }
        try bytes.withUnsafeBytes { record in
            try bounds.withUnsafeBufferPointer { bounds in
                // A record of empty fields (",,") has no bytes and maybe no buffer: any pointer does for empty ranges.
                let base = record.baseAddress ?? UnsafeRawPointer(bounds.baseAddress!)
                try emit(CSVRecord(base: base, bounds: bounds, line: recordLine))
            }
        }
    }
}

/// One record's fields as byte ranges: valid only during the call it is handed to.
struct CSVRecord {
    let base: UnsafeRawPointer
    /// Start and end offsets from `base`, two per field.
    let bounds: UnsafeBufferPointer<Int>
    /// The line the record starts on.
    let line: Int

    var count: Int { bounds.count / 2 }

    /// The bytes of field `index` (from 0).
    subscript(index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + bounds[2 * index], count: bounds[2 * index + 1] - bounds[2 * index])
    }

    /// Field `index` as text (the parser has checked it is UTF-8).
    func string(_ index: Int) -> String { String(decoding: self[index], as: UTF8.self) }

    /// Every field as text.
    var strings: [String] { (0..<count).map(string) }
}

enum CSVParserError: Error {
    case unterminatedQuote(line: Int)
    /// `field` counts from 0.
    case invalidUTF8(line: Int, field: Int, byte: UInt8)
    case fieldTooLong(line: Int, field: Int)
    case tooManyFields(line: Int)
    case recordTooLong(line: Int)
}
