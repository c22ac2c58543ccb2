import Foundation
import XCTest

/// `attrdb sql` is bounded: a timeout, a row limit for the aligned table, a clean stop when the
/// reader goes away, and a read-only guard that lets reads through and nothing else.
final class SQLBoundsCommandTests: XCTestCase {
    private static let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c"

    private func store(_ folder: TemporaryFolder) throws -> String {
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db]).status, 0)
        return db
    }

    func testTimeoutStopsAnEndlessQueryInAboutASecond() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        // An endless query that prints nothing: only the timeout can end it.
        let quiet = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        for (sql, format) in [(quiet, "csv"), (quiet, "table"), (Self.endless, "csv")] {
            let start = Date()
            let result = try CLI.run(["-c", "\"$0\" \"$@\" > /dev/null", CLI.binary.path, "sql", sql, "--db", db, "--timeout", "1", "--format", format],
                                     executable: URL(fileURLWithPath: "/bin/sh"))
            let elapsed = Date().timeIntervalSince(start)
            XCTAssertEqual(result.status, 1, "\(format): \(result.stderr)")
            XCTAssertEqual(result.stderr, "attrdb: the query ran longer than --timeout 1 s and was stopped\n", format)
            XCTAssertLessThan(elapsed, 6, "\(format): took \(elapsed) s")
        }
        let invalid = try CLI.run(["sql", "SELECT 1", "--db", db, "--timeout", "0"])
        XCTAssertEqual(invalid.status, 64, invalid.stderr)
    }

    func testTableOutputStopsAtARowLimitAndSaysSo() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let many = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 25000) SELECT x FROM c"
        let table = try CLI.run(["sql", many, "--db", db, "--format", "table"])
        XCTAssertEqual(table.status, 0, table.stderr)
        let lines = table.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2 + 10_000, "a header, a rule and the first 10 000 rows")
        XCTAssertEqual(lines.last.map { $0.trimmingCharacters(in: .whitespaces) }, "10000")
        XCTAssertEqual(table.stderr, "attrdb: showed the first 10000 rows; the query returns more (--max-rows N to show more, or --format csv to stream them all)\n")

        let five = try CLI.run(["sql", Self.endless, "--db", db, "--format", "table", "--max-rows", "5", "--no-headers"])
        XCTAssertEqual(five.status, 0, five.stderr)
        XCTAssertEqual(five.stdout, "1\n2\n3\n4\n5\n")
        XCTAssertTrue(five.stderr.contains("showed the first 5 rows"), five.stderr)

        // csv streams everything by default, and a limit that is not reached says nothing.
        let csv = try CLI.run(["sql", many, "--db", db, "--format", "csv", "--no-headers"])
        XCTAssertEqual(csv.stdout.split(separator: "\n").count, 25_000)
        XCTAssertEqual(csv.stderr, "")
        let exact = try CLI.run(["sql", "SELECT 1 AS one", "--db", db, "--format", "table", "--max-rows", "1"])
        XCTAssertEqual(exact.stdout, "one\n───\n  1\n")
        XCTAssertEqual(exact.stderr, "")
    }

    func testAReaderThatGoesAwayIsACleanStop() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let result = try CLI.run(["-c", "timeout 30 \"$0\" sql \"$1\" --db \"$2\" --format csv | head -n 5; echo \"status ${PIPESTATUS[0]}\"",
                                  CLI.binary.path, Self.endless, db], executable: URL(fileURLWithPath: "/bin/bash"))
        XCTAssertEqual(result.stdout, "x\n1\n2\n3\n4\nstatus 0\n")
        XCTAssertEqual(result.stderr, "")
        // A standard error nobody reads: the error is lost, but the exit status is the error's, not a trap's.
        let status = try CLI.python("""
            import os, subprocess, sys
            r, w = os.pipe()
            os.close(r)
            print(subprocess.run([sys.argv[1], 'sql', 'SELEC 1', '--db', sys.argv[2]], stderr=w, stdout=subprocess.DEVNULL).returncode)
            """, [CLI.binary.path, db])
        XCTAssertEqual(status, "1\n")
    }

    func testTheGuardLetsReadsThroughAndRefusesTheRest() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let reads: [(String, String)] = [
            ("SELECT name FROM pragma_table_info('run') ORDER BY cid LIMIT 2", "run_id\nname\n"),
            ("SELECT count(*) FROM run -- how many runs", "1\n"),
            ("SELECT count(*) FROM run; -- how many runs\n/* done */", "1\n"),
            ("PRAGMA table_info(run)", ""),
        ]
        for (sql, expected) in reads {
            let result = try CLI.run(["sql", sql, "--db", db, "--format", "csv", "--no-headers"])
            XCTAssertEqual(result.status, 0, "\(sql): \(result.stderr)")
            if !expected.isEmpty { XCTAssertEqual(result.stdout, expected, sql) }
        }
        for sql in ["SELECT fts3_tokenizer('simple')", "SELECT hex(fts3_tokenizer('simple'))",
                    "SELECT fts3_tokenizer('simple', x'0000000000000000')", "SELECT load_extension('/tmp/x.so')",
                    "SELECT readfile('/etc/passwd')", "SELECT writefile('\(folder.path("w"))', 'x')",
                    "SELECT count(*) FROM run; DELETE FROM run"] {
            let result = try CLI.run(["sql", sql, "--db", db])
            XCTAssertEqual(result.status, 1, "\(sql): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", sql)
            XCTAssertTrue(["refused", "no such function", "only one statement"].contains { result.stderr.contains($0) }, "\(sql): \(result.stderr)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("w")))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
    }
}
