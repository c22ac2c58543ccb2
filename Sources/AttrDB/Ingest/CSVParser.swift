/// A push parser of RFC 4180 records: feed it bytes in chunks of any size, get records of fields
/// with the line each record started on. Quoted fields may hold delimiters, quotes (doubled) and
/// line breaks. CRLF and LF both end a record. Fields must be UTF-8: invalid bytes are an error,
/// never replaced.
struct CSVParser {
    let delimiter: UInt8
    private(set) var line = 1
    private var recordLine = 1
    private var field: [UInt8] = []
    private var record: [String] = []
    private var inQuotes = false
    private var quoteClosed = false
    private var pendingCR = false
    private var fieldStarted = false

    init(delimiter: UInt8 = UInt8(ascii: ",")) {
        self.delimiter = delimiter
        field.reserveCapacity(64)
    }

    /// Parses `bytes`, calling `emit(fields, line)` for every complete record.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: ([String], Int) throws -> Void) throws {
        for byte in bytes {
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
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case 0x22:
                if quoteClosed { field.append(0x22); inQuotes = true; quoteClosed = false }  // "" inside quotes
                else if !fieldStarted { inQuotes = true; fieldStarted = true }
                else { field.append(byte) }
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
                field.append(byte)
            }
        }
    }

    /// The line of a record begun but not ended by a line break, or nil: where input that stopped
    /// mid-record stopped.
    var partialRecordLine: Int? {
        inQuotes || fieldStarted || !field.isEmpty || !record.isEmpty ? recordLine : nil
    }

    /// Ends the input: emits a last record that had no final line break.
    mutating func finish(_ emit: ([String], Int) throws -> Void) throws {
        if inQuotes { throw CSVParserError.unterminatedQuote(line: recordLine) }
        if fieldStarted || !field.isEmpty || !record.isEmpty {
            try endField()
            try endRecord(emit)
        }
    }

    private mutating func endField() throws {
        // Most fields are ASCII: only those with a high byte need the full check.
        if field.contains(where: { $0 >= 0x80 }),
           let bad = field.withUnsafeBytes({ UTF8Validation.invalidOffset($0) }) {
            throw CSVParserError.invalidUTF8(line: recordLine, field: record.count, byte: field[bad])
        }
        record.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        fieldStarted = false
        quoteClosed = false
    }

    private mutating func endRecord(_ emit: ([String], Int) throws -> Void) throws {
        defer { record.removeAll(keepingCapacity: true) }
        // A blank line is no record.
        if record.count == 1 && record[0].isEmpty { return }
        try emit(record, recordLine)
    }
}

enum CSVParserError: Error {
    case unterminatedQuote(line: Int)
    /// `field` counts from 0.
    case invalidUTF8(line: Int, field: Int, byte: UInt8)
}
