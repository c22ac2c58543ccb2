/// Reads a CSV or TSV file (gzip-compressed or not, "-" for standard input) record by record,
/// checking every row against the header and naming the line of any problem.
struct CSVReader {
    let path: String
    let delimiter: UInt8

    init(path: String, delimiter: UInt8? = nil) {
        self.path = path
        let lower = path.lowercased()
        self.delimiter = delimiter ?? (lower.hasSuffix(".tsv") || lower.hasSuffix(".tsv.gz") ? UInt8(ascii: "\t") : UInt8(ascii: ","))
    }

    /// One data row: its fields by header position, and its line number. A view of the parser's
    /// bytes, valid only during the call it is handed to.
    struct Row {
        let record: CSVRecord
        let header: Header
        let file: String

        var line: Int { record.line }

        /// The bytes of the field at header position `index`.
        func bytes(at index: Int) -> UnsafeRawBufferPointer { record[index] }

        func text(_ column: String) -> String? {
            header.index[column].map { record.string($0) }
        }

        func double(_ column: String) throws -> Double {
            let text = self.text(column) ?? ""
            guard let value = CSVReader.number(text) else {
                let hex = DecimalText.looksHexadecimal(text) ? " (hexadecimal: only decimal numbers are read)" : ""
                throw IngestError(file: file, location: .lineColumn(line: line, column: column), expected: "a number", found: text.isEmpty ? "an empty field" : "'\(text.prefix(40))'\(hex)")
            }
            return value
        }

        /// A float32 value: a decimal number past float32's range is an error, not ±Inf.
        func float(_ column: String) throws -> Float {
            let value = try double(column)
            if !Float(value).isFinite, let text = self.text(column), DecimalText.isOutOfFloat32Range(value, text: text) {
                throw IngestError(file: file, location: .lineColumn(line: line, column: column), expected: "a finite float32 value",
                                  found: "\(text.trimmingCharacters(in: .whitespaces).prefix(40)) (out of float32 range)")
            }
            return Float(value)
        }

        func optionalDouble(_ column: String) throws -> Double? {
            guard let text = self.text(column), !text.isEmpty else { return nil }
            return try double(column)
        }

        func int(_ column: String) throws -> Int {
            let text = self.text(column) ?? ""
            if let value = Int(text) ?? Int(text.trimmingCharacters(in: .whitespaces)) { return value }
            if let value = CSVReader.number(text), value.rounded() == value, abs(value) < 9e15 { return Int(value) }
            throw IngestError(file: file, location: .lineColumn(line: line, column: column), expected: "an integer", found: text.isEmpty ? "an empty field" : "'\(text.prefix(40))'")
        }
    }

    struct Header {
        let names: [String]
        let index: [String: Int]
    }

    /// Reads the header, checks it has `required` columns, then calls `row` for every data row.
    /// Returns the header; a file with nothing after its header is an error.
    @discardableResult
    func read(required: [String], _ row: (Row) throws -> Void) throws -> Header {
        var parser = CSVParser(delimiter: delimiter)
        var header: Header?
        var rows = 0
        func emit(_ record: CSVRecord) throws {
            let line = record.line
            guard let known = header else {
                let fields = record.strings
                let names = fields.map { $0.trimmingCharacters(in: .whitespaces) }.enumerated().map { $0.offset == 0 ? String($0.element.drop { $0 == "\u{FEFF}" }) : $0.element }
                let missing = required.filter { !names.contains($0) }
                guard missing.isEmpty else {
                    throw IngestError(file: path, location: .line(line), expected: "a header with the columns \(required.joined(separator: ","))", found: "'\(fields.joined(separator: String(UnicodeScalar(delimiter))))' (missing \(missing.joined(separator: ", ")))")
                }
                header = Header(names: names, index: Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }))
                return
            }
            guard record.count == known.names.count else {
                throw IngestError(file: path, location: .line(line), expected: "\(known.names.count) fields as in the header", found: "\(record.count)")
            }
            rows += 1
            try row(Row(record: record, header: known, file: path))
        }
        /// The line, and the column when the header names it.
        func location(_ line: Int, _ field: Int) -> IngestError.Location {
            guard let names = header?.names, field < names.count else { return .line(line) }
            return .lineColumn(line: line, column: names[field])
        }
        do {
            try ByteSource.readAhead(path: path) { try parser.feed($0, emit) }
            // A file may end its last line without a line break; a stream that does was cut off by
            // its writer (killed mid-write), and its last number may be cut short too.
            if path == "-", let line = parser.partialRecordLine {
                throw IngestError(file: path, location: .line(line), expected: "a line break ending the last record", found: "end of input (standard input stopped mid-record)")
            }
            try parser.finish(emit)
        } catch CSVParserError.unterminatedQuote(let line) {
            throw IngestError(file: path, location: .line(line), expected: "a closing quote", found: "end of file")
        } catch CSVParserError.invalidUTF8(let line, let field, let byte) {
            throw IngestError(file: path, location: location(line, field), expected: "UTF-8 text", found: UTF8Validation.describe(byte))
        } catch CSVParserError.fieldTooLong(let line, let field) {
            throw IngestError(file: path, location: location(line, field), expected: "a field of at most \(CSVParser.maxFieldBytes) bytes", found: "a longer one")
        } catch CSVParserError.tooManyFields(let line) {
            throw IngestError(file: path, location: .line(line), expected: "a record of at most \(CSVParser.maxFields) fields", found: "more")
        } catch CSVParserError.recordTooLong(let line) {
            throw IngestError(file: path, location: .line(line), expected: "a record of at most \(CSVParser.maxRecordBytes) bytes", found: "a longer one")
        }
        guard let header else { throw IngestError(file: path, expected: "a header line", found: "an empty file") }
        if rows == 0 { throw IngestError(file: path, location: .line(2), expected: "at least one row after the header", found: "nothing") }
        return header
    }

    /// Parses a number as Python and numpy write it (including nan, inf, -inf); never hexadecimal.
    static func number(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { DecimalText.parse(UnsafeRawBufferPointer($0)) }
    }
}

import Foundation
