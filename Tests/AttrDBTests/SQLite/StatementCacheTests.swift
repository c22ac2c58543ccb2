import XCTest
@testable import AttrDB

final class StatementCacheTests: XCTestCase {
    private func table() throws -> Connection {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        try db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v)")
        return db
    }

    func testRunScalarAndForEachRowPrepareEachSQLTextOnce() throws {
        let db = try table()
        let before = db.preparedStatementCount
        for k in 0..<100 {
            try db.run("INSERT INTO t (k, v) VALUES (?, ?)", [.integer(Int64(k)), .text("v\(k)")])
            XCTAssertEqual(try db.scalar("SELECT v FROM t WHERE k = ?", [.integer(Int64(k))]), .text("v\(k)"))
            var count = 0
            try db.forEachRow("SELECT k FROM t WHERE k <= ?", [.integer(Int64(k))]) { _ in count += 1 }
            XCTAssertEqual(count, k + 1)
        }
        XCTAssertEqual(db.preparedStatementCount - before, 3)
    }

    func testTheSameSQLNestedInsideItselfGetsItsOwnStatement() throws {
        let db = try table()
        for k in 0..<3 { try db.run("INSERT INTO t (k, v) VALUES (?, ?)", [.integer(Int64(k)), .integer(Int64(k * 10))]) }
        var pairs: [[Int64]] = []
        try db.forEachRow("SELECT k FROM t WHERE k >= ? ORDER BY k", [0]) { outer in
            let k = outer.int64(at: 0)
            try db.forEachRow("SELECT k FROM t WHERE k >= ? ORDER BY k", [.integer(k)]) { inner in
                pairs.append([k, inner.int64(at: 0)])
            }
        }
        XCTAssertEqual(pairs, [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]])
    }

    func testACachedStatementKeepsNoBindingsAndNoReadOpen() throws {
        let db = try table()
        try db.run("INSERT INTO t (k, v) VALUES (1, 'one')")
        // A scalar steps once and stops: the statement goes back reset, so the row is not held.
        XCTAssertEqual(try db.scalar("SELECT v FROM t WHERE k = ?", [1]), .text("one"))
        try db.execute("DROP TABLE t")  // a statement left mid-read would make this fail (SQLITE_LOCKED)
        XCTAssertThrowsError(try db.scalar("SELECT v FROM t WHERE k = ?", [1]))
    }

    func testTheCacheIsBounded() throws {
        let db = try table()
        for k in 0..<(Connection.statementCacheLimit * 2) {
            _ = try db.scalar("SELECT \(k)")
        }
        XCTAssertLessThanOrEqual(db.cachedStatementCount, Connection.statementCacheLimit)
        XCTAssertEqual(try db.scalar("SELECT 1"), .integer(1))
    }

    func testStatisticRowsOfAnIngestPrepareAFixedNumberOfStatements() throws {
        func prepares(statistics count: Int) throws -> Int {
            let fixture = try IngestFixture()
            let recorder = try Recorder(store: fixture.store, target: IngestTarget(run: "r", metric: "m"),
                                        components: [Component(label: "embed", layer: -1, kind: .embed)], coefficients: [0])
            try recorder.append(step: 0, values: [1])
            let before = fixture.store.connection.preparedStatementCount
            try recorder.record(stats: (0..<count).map { CheckpointStat(step: 0, name: "s\($0)", value: Double($0)) })
            try recorder.record(residNorms: (0..<count).map { ResidNorm(step: 0, layer: $0, hook: "resid_pre", norm: 1) })
            try recorder.record(wovNorms: (0..<count).map { WOVNorm(step: 0, layer: 0, head: $0, frobeniusNorm: 1) })
            let prepared = fixture.store.connection.preparedStatementCount - before
            try recorder.commit()
            return prepared
        }
        let few = try prepares(statistics: 2)
        XCTAssertEqual(try prepares(statistics: 200), few, "prepares do not grow with the number of statistic rows")
        XCTAssertLessThanOrEqual(few, 6)
    }
}
