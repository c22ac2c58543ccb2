import XCTest
@testable import AttrDB

final class UTF8ValidationTests: XCTestCase {
    func testInvalidUTF8OffsetPointsAtTheOffendingSequence() {
        let cases: [([UInt8], Int?)] = [
            (Array("plain ascii".utf8), nil),
            (Array("ünïcødé 日本 🧠".utf8), nil),
            ([0x41, 0xE2, 0x82], 1),          // truncated at the end: the fuzzer's crash
            ([0x41, 0xFF], 1),
            ([0xED, 0xA0, 0x80], 0),          // a UTF-16 surrogate
            ([0xC0, 0x80], 0),                // overlong
            ([0xF4, 0x90, 0x80, 0x80], 0),    // past U+10FFFF
            ([0x61, 0xE2, 0x28, 0xA1], 1),    // bad continuation
        ]
        for (bytes, expected) in cases {
            XCTAssertEqual(Axes.invalidUTF8Offset(Data(bytes)), expected, "\(bytes)")
        }
    }

    func testTruncatedUTF8AtTheEndOfAxesIsAnErrorNotACrash() {
        XCTAssertThrowsError(try Axes.parse(Data([0x7B, 0x22, 0xE2, 0x82]), file: "axes.json")) { error in
            XCTAssertEqual("\(error)", "axes.json: byte 2: expected UTF-8 text, found the byte 0xe2, which is not valid UTF-8")
        }
    }
}
