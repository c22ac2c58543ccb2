import Foundation
import XCTest

/// Readers never make a writer fail; a writer that cannot get the write lock says who holds it.
final class ConcurrencyCommandTests: XCTestCase {
    /// Holds a read transaction open — a notebook's `BEGIN; SELECT …`, then thinking — and
    /// prints the checkpoint count it sees before and after the test says "go", and after it ends
    /// the transaction.
    private static let notebook = """
    import sqlite3, sys
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN")
    print(con.execute("SELECT count(*) FROM checkpoint").fetchone()[0], flush=True)
    sys.stdin.readline()
    print(con.execute("SELECT count(*) FROM checkpoint").fetchone()[0], flush=True)
    con.execute("COMMIT")
    print(con.execute("SELECT count(*) FROM checkpoint").fetchone()[0], flush=True)
    """

    func testAnIngestSucceedsBesideANotebookHoldingAReadTransaction() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 needed")
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let reader = try PythonPeer(Self.notebook, store: db)
        let before = reader.line()
        let checkpoints = try XCTUnwrap(Int(before), before)
        XCTAssertGreaterThan(checkpoints, 1)
        // Before WAL this waited for the reader and failed with "database is locked (in: COMMIT)".
        let ingest = try CLI.run(["ingest", CLI.example.path, "--run", "second", "--db", db], environment: ["ATTRDB_BUSY_TIMEOUT": "2"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        reader.send("go")
        XCTAssertEqual(reader.line(), before, "the reader keeps the snapshot it began with")
        XCTAssertEqual(reader.line(), "\(2 * checkpoints)", "after its transaction the reader sees the new run")
        let runs = try CLI.run(["sql", "SELECT name, (SELECT count(*) FROM checkpoint c WHERE c.run_id = r.run_id) FROM run r ORDER BY name",
                                "--db", db, "--format", "csv", "--no-headers"])
        XCTAssertEqual(runs.stdout, "modadd,\(checkpoints)\nsecond,\(checkpoints)\n", runs.stderr)
        reader.process.waitUntilExit()
        XCTAssertEqual(reader.process.terminationStatus, 0)
    }

    func testAnIngestSucceedsWhileALongSQLQueryRuns() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let checkpoints = try CLI.run(["sql", "SELECT count(*) FROM checkpoint", "--db", db, "--format", "csv", "--no-headers"]).stdout
        // Reads a table, then counts without end: a query that holds its read transaction until killed.
        let query = Process()
        query.executableURL = CLI.binary
        query.arguments = ["sql", "--db", db, """
            WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
            SELECT count(*) FROM c WHERE x < (SELECT count(*) FROM checkpoint)
            """]
        query.standardOutput = FileHandle.nullDevice
        query.standardError = FileHandle.nullDevice
        try query.run()
        defer {
            if query.isRunning { query.terminate() }
            query.waitUntilExit()
        }
        Thread.sleep(forTimeInterval: 1)
        XCTAssertTrue(query.isRunning, "the query runs")
        let ingest = try CLI.run(["ingest", CLI.example.path, "--run", "second", "--db", db], environment: ["ATTRDB_BUSY_TIMEOUT": "2"])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertTrue(query.isRunning, "the ingest did not wait for the query to end")
        let count = try CLI.run(["sql", "SELECT count(*) FROM checkpoint", "--db", db, "--format", "csv", "--no-headers"])
        XCTAssertEqual(count.stdout, "\(2 * (Int(checkpoints.dropLast()) ?? -1))\n", count.stderr)
    }

    /// Takes the write lock and holds it until told to stop: a second writer.
    private static let writer = """
    import os, sqlite3, sys
    con = sqlite3.connect(sys.argv[1], isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    print(os.getpid(), flush=True)
    sys.stdin.readline()
    con.execute("ROLLBACK")
    """

    func testAWriterThatCannotGetTheLockNamesItsHolderAndExits2() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "python3 needed")
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let holder = try PythonPeer(Self.writer, store: db)
        let pid = holder.line()
        XCTAssertNotNil(Int32(pid), pid)
        let started = Date()
        let ingest = try CLI.run(["ingest", CLI.example.path, "--run", "second", "--db", db], environment: ["ATTRDB_BUSY_TIMEOUT": "1"])
        let waited = Date().timeIntervalSince(started)
        XCTAssertEqual(ingest.status, 2, ingest.stderr)
        XCTAssertTrue(ingest.stderr.hasPrefix("attrdb: \(db): another process (pid \(pid) ("), ingest.stderr)
        XCTAssertTrue(ingest.stderr.contains("python3 -c import os, sqlite3, sys con = "), ingest.stderr)
        XCTAssertTrue(ingest.stderr.contains("is writing to the store; gave up after waiting 1 s. Let it finish (or stop it) and run this again, or wait longer with --busy-timeout SECONDS\n"), ingest.stderr)
        XCTAssertEqual(ingest.stderr.filter { $0 == "\n" }.count, 1, ingest.stderr)
        XCTAssertLessThan(waited, 30, "the busy timeout was 1 s")
        // The same through the option, on a command that writes without ingesting.
        let tag = try CLI.run(["tag", "modadd", "k=v", "--db", db, "--busy-timeout", "0.5"])
        XCTAssertEqual(tag.status, 2, tag.stderr)
        XCTAssertTrue(tag.stderr.contains("(pid \(pid) ") && tag.stderr.contains("gave up after waiting 0.5 s"), tag.stderr)
        holder.send("done")
        holder.process.waitUntilExit()
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before, "the store is unchanged")
        // With the lock free again, the same ingest goes through.
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "second", "--db", db]).status, 0)
    }

    func testABadBusyTimeoutIsAUsageError() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        for value in ["-1", "nan", "1e9"] {
            let result = try CLI.run(["runs", "--db", db, "--busy-timeout=\(value)"])
            XCTAssertEqual(result.status, 64, value)
            XCTAssertTrue(result.stderr.contains("--busy-timeout takes seconds from 0 to 86400"), result.stderr)
        }
        let result = try CLI.run(["runs", "--db", db], environment: ["ATTRDB_BUSY_TIMEOUT": "soon"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("ATTRDB_BUSY_TIMEOUT takes seconds from 0 to 86400, not 'soon'"), result.stderr)
    }
}
