import XCTest
@testable import AttrDB

final class StatementBindingTests: XCTestCase {
    private func roundTrip(_ value: SQLValue) throws -> SQLValue {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        try db.execute("CREATE TABLE t (v)")
        try db.run("INSERT INTO t VALUES (?)", [value])
        return try db.scalar("SELECT v FROM t") ?? .null
    }

    func testIntegersRoundTrip() throws {
        for value: Int64 in [0, 1, -1, .max, .min, 1 << 53 + 1] {
            XCTAssertEqual(try roundTrip(.integer(value)), .integer(value))
        }
    }

    func testDoublesRoundTripBitForBit() throws {
        for value in [0.0, -0.0, 1.5, .pi, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude] {
            guard case .real(let back) = try roundTrip(.real(value)) else { return XCTFail("not a real: \(value)") }
            XCTAssertEqual(back.bitPattern, value.bitPattern, "\(value)")
        }
    }

    func testNaNIsStoredAsNull() throws {
        // SQLite has no NaN: it stores NULL. attrdb keeps NaN inside packed float32 blobs instead.
        XCTAssertEqual(try roundTrip(.real(.nan)), .null)
    }

    func testTextRoundTripsUnicodeAndNUL() throws {
        for text in ["", "plain", "L0H3 — ünïcødé 日本語 🧠", "nul\u{0}inside\u{0}", "quote ' \" ; DROP TABLE t; --"] {
            XCTAssertEqual(try roundTrip(.text(text)), .text(text))
        }
    }

    func testBlobsRoundTripEmptyAndOneMegabyte() throws {
        XCTAssertEqual(try roundTrip(.blob([])), .blob([]))
        let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
        XCTAssertEqual(try roundTrip(.blob(big)), .blob(big))
    }

    func testNullRoundTrips() throws {
        XCTAssertEqual(try roundTrip(.null), .null)
    }

    func testBorrowedBlobIsUnboundAfterUse() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        try db.execute("CREATE TABLE t (v)")
        let insert = try db.prepare("INSERT INTO t VALUES (?)")
        let bytes: [UInt8] = [1, 2, 3, 4]
        _ = try bytes.withUnsafeBytes { raw in
            try insert.withBorrowedBlob(raw, at: 1) { try insert.step() }
        }
        try insert.step()  // the binding was cleared: this inserts NULL, not dangling memory
        var values: [SQLValue] = []
        try db.forEachRow("SELECT v FROM t ORDER BY rowid") { values.append($0.value(at: 0)) }
        XCTAssertEqual(values, [.blob(bytes), .null])
    }

    func testStatementIsReusedAfterReset() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        try db.execute("CREATE TABLE t (v INTEGER)")
        let insert = try db.prepare("INSERT INTO t VALUES (?)")
        for i in 0..<100 {
            try insert.bind([.integer(Int64(i))])
            try insert.step()
        }
        XCTAssertEqual(try db.scalar("SELECT sum(v) FROM t"), .integer(4950))
    }

    func testErrorCarriesCodeMessageAndSQL() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        XCTAssertThrowsError(try db.prepare("SELEC 1")) { error in
            guard let error = error as? SQLiteError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.code, 1)
            XCTAssertTrue(error.message.contains("syntax error"), error.message)
            XCTAssertEqual(error.sql, "SELEC 1")
        }
        try db.execute("CREATE TABLE u (k UNIQUE)")
        try db.run("INSERT INTO u VALUES (1)")
        XCTAssertThrowsError(try db.run("INSERT INTO u VALUES (1)")) { error in
            XCTAssertEqual((error as? SQLiteError)?.extendedCode, 2067)  // SQLITE_CONSTRAINT_UNIQUE
        }
    }

    func testWrongArgumentCountIsAnError() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        XCTAssertThrowsError(try db.run("SELECT ?, ?", [1]))
    }
}
