import XCTest
@testable import AttrDB

final class TransactionTests: XCTestCase {
    struct Boom: Error {}

    func testTransactionRollsBackWhenBodyThrows() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        try db.execute("CREATE TABLE t (v)")
        XCTAssertThrowsError(try db.transaction {
            try db.run("INSERT INTO t VALUES (1)")
            throw Boom()
        }) { XCTAssertTrue($0 is Boom, "the body's own error is rethrown") }
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t"), .integer(0))
        XCTAssertFalse(db.isInTransaction)
    }

    func testTransactionCommits() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        try db.execute("CREATE TABLE t (v)")
        try db.transaction { try db.run("INSERT INTO t VALUES (1)") }
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t"), .integer(1))
    }

    func testSavepointRollsBackOnlyItsOwnWork() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        try db.execute("CREATE TABLE t (v)")
        try db.transaction {
            try db.run("INSERT INTO t VALUES (1)")
            try? db.savepoint {
                try db.run("INSERT INTO t VALUES (2)")
                throw Boom()
            }
            try db.savepoint { try db.run("INSERT INTO t VALUES (3)") }
        }
        var values: [Int64] = []
        try db.forEachRow("SELECT v FROM t ORDER BY v") { values.append($0.int64(at: 0)) }
        XCTAssertEqual(values, [1, 3])
    }

    func testBusyTimeoutWaitsForAnotherWriter() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("busy.sqlite")
        let first = try Connection(path: path, access: .readWrite(create: true))
        try first.execute("CREATE TABLE t (v)")
        let impatient = try Connection(path: path, access: .readWrite(create: false), busyTimeoutMilliseconds: 100)
        let patient = try Connection(path: path, access: .readWrite(create: false), busyTimeoutMilliseconds: 10_000)

        try first.execute("BEGIN IMMEDIATE")
        let started = Date()
        XCTAssertThrowsError(try impatient.execute("BEGIN IMMEDIATE")) { error in
            XCTAssertTrue((error as? SQLiteError)?.isBusy == true, "\(error)")
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.09, "gave up before its busy timeout")

        // The first writer commits after a while; the patient one waits for it instead of failing.
        let holder = UncheckedBox(first)
        let release = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            try? holder.value.execute("INSERT INTO t VALUES (1); COMMIT")
        }
        release.start()
        try patient.transaction { try patient.run("INSERT INTO t VALUES (2)") }
        XCTAssertEqual(try patient.scalar("SELECT count(*) FROM t"), .integer(2))
    }

    func testAnOpenTransactionReleasedUncommittedRollsBack() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        try db.execute("CREATE TABLE t (v)")
        do {
            let transaction = try db.beginTransaction()
            try db.run("INSERT INTO t VALUES (1)")
            XCTAssertTrue(transaction.isOpen)
        }
        XCTAssertFalse(db.isInTransaction)
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t"), .integer(0))
        let transaction = try db.beginTransaction()
        try db.run("INSERT INTO t VALUES (2)")
        try transaction.commit()
        transaction.rollback()  // finished: nothing to undo
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM t"), .integer(1))
    }

    /// A released connection closes its file even when its statement cache is full: the cached
    /// statements are finalized first (sqlite3_close_v2 would otherwise keep the file open).
    func testReleasingAConnectionClosesItsFileWithStatementsCached() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("cache.sqlite")
        func descriptors() throws -> Int {
            try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) == path
            }.count
        }
        do {
            let db = try Connection(path: path, access: .readWrite(create: true))
            try db.execute("CREATE TABLE t (v)")
            try db.run("INSERT INTO t VALUES (?)", [1])
            XCTAssertEqual(try db.scalar("SELECT count(*) FROM t"), .integer(1))
            XCTAssertGreaterThan(db.cachedStatementCount, 0)
            XCTAssertEqual(try descriptors(), 1)
        }
        XCTAssertEqual(try descriptors(), 0)
    }
}
