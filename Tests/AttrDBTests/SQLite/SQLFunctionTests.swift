import XCTest
@testable import AttrDB

final class SQLFunctionTests: XCTestCase {
    private func blob(_ values: [Float]) -> SQLValue {
        .blob(values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
    }

    func testPackedVectorFunctions() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        let v = blob([1, -2, 3.5, -0.25])
        XCTAssertEqual(try db.scalar("SELECT f32_len(?)", [v]), .integer(4))
        XCTAssertEqual(try db.scalar("SELECT f32_at(?, 2)", [v]), .real(3.5))
        XCTAssertEqual(try db.scalar("SELECT f32_at(?, 4)", [v]), .null)
        XCTAssertEqual(try db.scalar("SELECT f32_sum(?)", [v]), .real(2.25))
        XCTAssertEqual(try db.scalar("SELECT f32_sum_abs(?)", [v]), .real(6.75))
        XCTAssertEqual(try db.scalar("SELECT f32_sum_abs(?, 1, 2)", [v]), .real(5.5))
        XCTAssertEqual(try db.scalar("SELECT f32_sum_sq(?)", [v]), .real(1 + 4 + 12.25 + 0.0625))
        XCTAssertEqual(try db.scalar("SELECT f32_max_abs(?)", [v]), .real(3.5))
        XCTAssertEqual(try db.scalar("SELECT f32_json(?)", [v]), .text("[1.0,-2.0,3.5,-0.25]"))
        XCTAssertEqual(try db.scalar("SELECT f32_json(f32_slice(?, 1, 2))", [v]), .text("[-2.0,3.5]"))
    }

    func testOutOfRangeSliceIsAnError() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        XCTAssertThrowsError(try db.scalar("SELECT f32_sum(?, 3, 5)", [blob([1, 2, 3, 4])]))
        XCTAssertThrowsError(try db.scalar("SELECT f32_len(x'010203')"))
    }

    /// `xxh64_checked` passes a blob of the right length and checksum through unchanged,
    /// and fails the statement, with the error merge recognises, on any other length, checksum or type.
    func testChecksumCheckedBlobPassesThroughOrFails() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        let v = blob([1, -2, 3.5, -0.25])
        let hash = try XCTUnwrap(db.scalar("SELECT xxh64(?)", [v]))
        XCTAssertEqual(try db.scalar("SELECT xxh64_checked(?, ?, 16)", [v, hash]), v)
        for (arguments, what) in [([v, hash, SQLValue.integer(12)], "length"), ([v, .integer(1), .integer(16)], "checksum"),
                                  ([.null, hash, .integer(0)], "NULL"), ([.text("abcd"), hash, .integer(4)], "text")] {
            XCTAssertThrowsError(try db.scalar("SELECT xxh64_checked(?, ?, ?)", arguments), what) { error in
                XCTAssertTrue((error as? SQLiteError)?.message.hasPrefix(SQLFunctions.checksumMismatch) == true, "\(what): \(error)")
            }
        }
    }
}
