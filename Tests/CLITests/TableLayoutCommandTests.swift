import XCTest

/// The aligned table on a terminal: decimal points line up, and a table wider than the terminal
/// shows the columns that fit and says on standard error how to see the rest; piped, every column.
final class TableLayoutCommandTests: XCTestCase {
    private static let query = "SELECT 'a' AS name, 1.5 AS v, 3 AS n UNION ALL SELECT 'bb', 22.25, -1 UNION ALL SELECT 'c', 3, NULL"

    /// Runs attrdb with standard output on a pseudo-terminal `columns` wide; standard error apart.
    private func onTerminal(columns: Int, _ arguments: [String]) throws -> CLI.Result {
        let script = """
            import fcntl, os, struct, subprocess, sys, termios
            master, slave = os.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, int(sys.argv[1]), 0, 0))
            child = subprocess.Popen(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=dict(os.environ, COLUMNS="999"))
            os.close(slave)
            out = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            sys.stderr.write(child.stderr.read().decode())
            sys.stdout.write(out.decode().replace("\\r\\n", "\\n"))
            sys.exit(child.wait())
            """
        return try CLI.run(["-c", script, String(columns), CLI.binary.path] + arguments,
                           executable: URL(fileURLWithPath: "/usr/bin/env"), prefix: [Python.command])
    }

    func testAWideTableOnANarrowTerminalShowsTheColumnsThatFit() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let narrow = try onTerminal(columns: 13, ["sql", Self.query, "--db", db])
        XCTAssertEqual(narrow.status, 0, narrow.stderr)
        XCTAssertEqual(narrow.stdout, "name      v\n────  ─────\na      1.5\nbb    22.25\nc      3\n")
        XCTAssertEqual(narrow.stderr, "… 1 more column; use --format csv or a wider terminal\n")
        let wide = try onTerminal(columns: 80, ["sql", Self.query, "--db", db])
        XCTAssertEqual(wide.stdout, "name      v   n\n────  ─────  ──\na      1.5    3\nbb    22.25  -1\nc      3\n")
        XCTAssertEqual(wide.stderr, "")
    }

    func testAPipedTableKeepsEveryColumn() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let piped = try CLI.run(["sql", Self.query, "--db", db, "--format", "table"], environment: ["COLUMNS": "10"])
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdout, "name      v   n\n────  ─────  ──\na      1.5    3\nbb    22.25  -1\nc      3\n")
        XCTAssertEqual(piped.stderr, "")
    }
}
