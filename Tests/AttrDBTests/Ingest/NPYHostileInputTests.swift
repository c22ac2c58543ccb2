import Foundation
import XCTest
@testable import AttrDB

/// `.npy` headers built to exhaust the parser: each is refused with an error, never a crash.
final class NPYHostileInputTests: XCTestCase {
    /// A version 2.0 header (4-byte length) around `dict`, padded to 64 bytes as numpy does.
    private func npy(header dict: String) -> [UInt8] {
        var text = Array(dict.utf8)
        while (12 + text.count + 1) % 64 != 0 { text.append(0x20) }
        text.append(0x0A)
        let length = UInt32(text.count)
        return NPYHeader.magic + [2, 0] + withUnsafeBytes(of: length.littleEndian, Array.init) + text
    }

    /// 200 000 nested parentheses in 'shape' overflowed the stack (SIGSEGV) before the depth limit.
    func testDeeplyNestedShapeIsRefusedNotAStackOverflow() throws {
        let nesting = 200_000
        let bytes = npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': " + String(repeating: "(", count: nesting)
                        + String(repeating: ")", count: nesting) + ", }")
        XCTAssertThrowsError(try bytes.withUnsafeBytes { try NPYHeader(parsing: $0, file: "deep.npy") }) { error in
            // The dict is level 1, so the 64th '(' is the one too deep: the header starts at byte 12
            // (after magic, version, length), its first '(' 50 bytes in.
            XCTAssertEqual("\(error)", "deep.npy: byte \(12 + 50 + 63): expected values nested at most 64 levels deep, found a 65th level")
        }
    }

    /// Lists and dicts count towards the same limit.
    func testNestingOfListsAndDictsIsBoundedToo() throws {
        let deep = npy(header: "{'descr': " + String(repeating: "[{'a': ", count: 40) + "1" + String(repeating: "}]", count: 40)
                       + ", 'fortran_order': False, 'shape': (1,), }")
        XCTAssertThrowsError(try deep.withUnsafeBytes { try NPYHeader(parsing: $0, file: "deep.npy") }) { error in
            XCTAssertTrue("\(error)".contains("expected values nested at most 64 levels deep"), "\(error)")
        }
        // 64 levels, counting the header dict itself, are fine.
        let shallow = npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': " + String(repeating: "(", count: 62) + "3,"
                          + String(repeating: ")", count: 62) + ", 'x': [], }")
        XCTAssertThrowsError(try shallow.withUnsafeBytes { try NPYHeader(parsing: $0, file: "ok.npy") }) { error in
            // Parsed fine; refused only because a nested tuple is not an integer extent.
            XCTAssertTrue("\(error)".contains("expected a non-negative integer in 'shape'"), "\(error)")
        }
    }
}
