import XCTest
@testable import AttrDB

/// The parser splits most lines in place and hands the rest to its state machine: whatever the
/// chunking, the records, their lines and the errors must be the same.
final class CSVParserTests: XCTestCase {
    private struct Parsed: Equatable {
        var records: [[String]] = []
        var lines: [Int] = []
    }

    private func parse(_ text: String, chunk: Int) throws -> Parsed {
        var parser = CSVParser()
        var parsed = Parsed()
        let emit: (CSVRecord) throws -> Void = { record in
            parsed.records.append(record.strings)
            parsed.lines.append(record.line)
        }
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBytes { all in
            var start = 0
            while start < all.count {
                let end = min(start + chunk, all.count)
                try parser.feed(UnsafeRawBufferPointer(rebasing: all[start..<end]), emit)
                start = end
            }
        }
        try parser.finish(emit)
        return parsed
    }

    func testEveryChunkingGivesTheSameRecordsAndLines() throws {
        let text = "a,b,c\n1,2,3\r\n\n\"x,y\",\"he said \"\"hi\"\"\",z\n\"two\nlines\",q,r\rlone,cr,end\n,,\nü,ß,€\r\n\r\nlast,no,break"
        let expected = Parsed(records: [["a", "b", "c"], ["1", "2", "3"], ["x,y", "he said \"hi\"", "z"], ["two\nlines", "q", "r"],
                                        ["lone", "cr", "end"], ["", "", ""], ["ü", "ß", "€"], ["last", "no", "break"]],
                              lines: [1, 2, 4, 5, 7, 8, 9, 11])
        for chunk in 1...text.utf8.count {
            XCTAssertEqual(try parse(text, chunk: chunk), expected, "chunks of \(chunk) bytes")
        }
    }

    func testInvalidUTF8IsNamedByLineAndFieldOnBothPaths() {
        // The first line is split in place, the second (with a quote) by the state machine.
        for text in ["a,b\nok,x\u{FF}y\n", "a,b\n\"ok\",x\u{FF}y\n"] {
            var bytes = Array(text.utf8)
            // Replace the UTF-8 encoding of U+00FF (0xC3 0xBF) with the lone byte 0xFF.
            if let at = bytes.firstIndex(of: 0xC3) { bytes.replaceSubrange(at...(at + 1), with: [0xFF]) }
            var parser = CSVParser()
            XCTAssertThrowsError(try bytes.withUnsafeBytes { try parser.feed($0) { _ in } }) { error in
                guard case CSVParserError.invalidUTF8(let line, let field, let byte) = error else { return XCTFail("\(error)") }
                XCTAssertEqual([line, field, Int(byte)], [2, 1, 0xFF])
            }
        }
    }

    func testALineOfDelimitersAloneIsBounded() {
        let bytes = [UInt8](repeating: UInt8(ascii: ","), count: CSVParser.maxFields + 10) + [0x0A]
        var parser = CSVParser()
        var emitted = 0
        XCTAssertThrowsError(try bytes.withUnsafeBytes { try parser.feed($0) { _ in emitted += 1 } }) { error in
            guard case CSVParserError.tooManyFields(let line) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(line, 1)
        }
        XCTAssertEqual(emitted, 0)
    }
}
