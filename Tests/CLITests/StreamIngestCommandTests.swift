import Foundation
import XCTest

/// `attrdb ingest` on compressed and cut-off streams, from a file and from standard input.
final class StreamIngestCommandTests: XCTestCase {
    /// Runs attrdb with standard input read from the file `input`.
    private func run(_ arguments: [String], stdinFile input: String) throws -> CLI.Result {
        try CLI.run(["-c", "exec \"$0\" \"$@\" < \"$ATTRDB_TEST_INPUT\"", CLI.binary.path] + arguments,
                    environment: ["ATTRDB_TEST_INPUT": input], executable: URL(fileURLWithPath: "/bin/sh"))
    }

    /// Writes the bytes python3 prints for `script` (with the example CSV's path as argv[1]) to `path`.
    private func write(_ path: String, _ script: String) throws {
        _ = try CLI.python("import gzip, sys\ncsv = open(sys.argv[1], 'rb').read()\nlines = csv.splitlines(keepends=True)\nopen(sys.argv[2], 'wb').write(\(script))",
                           [CLI.example.appendingPathComponent("attributions.csv").path, path])
    }

    func testATruncatedGzipIsAnErrorFromAFileAndFromStandardInput() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite"), input = folder.path("t.csv.gz")
        try write(input, "gzip.compress(csv, mtime=0)[:100000]")
        let fromFile = try CLI.run(["ingest", input, "--run", "r", "--db", db])
        XCTAssertEqual(fromFile.status, 1)
        XCTAssertEqual(fromFile.stderr, "attrdb: \(input): byte 100000: expected the rest of gzip member 1, found end of file (the input is truncated)\n")
        let fromStdin = try run(["ingest", "-", "--format", "csv", "--run", "r", "--db", db], stdinFile: input)
        XCTAssertEqual(fromStdin.status, 1)
        XCTAssertEqual(fromStdin.stderr, "attrdb: -: byte 100000: expected the rest of gzip member 1, found end of file (the input is truncated)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: db), "a failed ingest left a store behind")
    }

    func testTwoGzipMembersAreReadWholeFromAFileAndFromStandardInput() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite"), input = folder.path("mm.csv.gz")
        try write(input, "gzip.compress(b''.join(lines[:1665]), mtime=0) + gzip.compress(b''.join(lines[1665:]), mtime=0)")
        let fromFile = try CLI.run(["ingest", input, "--run", "file", "--db", db])
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        let fromStdin = try run(["ingest", "-", "--format", "csv", "--run", "piped", "--db", db], stdinFile: input)
        XCTAssertEqual(fromStdin.status, 0, fromStdin.stderr)
        for run in ["file", "piped"] {
            let export = try CLI.run(["export", "values", "--run", run, "--format", "csv", "--no-headers", "--db", db])
            XCTAssertEqual(export.stdout.split(separator: "\n").count, 54_912, run)
        }
    }

    func testAStreamCutInsideItsLastRecordIsRefusedOnStandardInput() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let csv = "checkpoint_step,coefficient,component,value\n1,0,L0H0,2.5\n1,0,L0H1,1.2"
        let csvPath = folder.path("cut.csv")
        try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
        let cutCSV = try run(["ingest", "-", "--format", "csv", "--run", "r", "--db", db], stdinFile: csvPath)
        XCTAssertEqual(cutCSV.status, 1)
        XCTAssertEqual(cutCSV.stderr, "attrdb: -: line 3: expected a line break ending the last record, found end of input (standard input stopped mid-record)\n")
        let jsonl = #"{"checkpoint_step": 1, "component": "L0H0", "value": 2.5}"# + "\n" + #"{"checkpoint_step": 1, "component": "L0H1", "value": 1.2}"#
        let jsonlPath = folder.path("cut.jsonl")
        try jsonl.write(toFile: jsonlPath, atomically: true, encoding: .utf8)
        let cutJSONL = try run(["ingest", "-", "--run", "r", "--db", db], stdinFile: jsonlPath)
        XCTAssertEqual(cutJSONL.status, 1)
        XCTAssertEqual(cutJSONL.stderr, "attrdb: -: line 2: expected a line break ending the last record, found end of input (standard input stopped mid-record)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: db))
        // The same text in a file is whole: only a stream can be cut off by its writer.
        XCTAssertEqual(try CLI.run(["ingest", csvPath, "--run", "csv", "--db", db]).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", jsonlPath, "--run", "jsonl", "--db", db]).status, 0)
        // And a complete stream is fine.
        try (csv + "\n").write(toFile: csvPath, atomically: true, encoding: .utf8)
        let whole = try run(["ingest", "-", "--format", "csv", "--run", "piped", "--db", db], stdinFile: csvPath)
        XCTAssertEqual(whole.status, 0, whole.stderr)
    }
}
