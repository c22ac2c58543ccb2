import AttrDB
import Foundation
import XCTest

final class ReliabilityCommandTests: XCTestCase {
    private func exampleStore(_ folder: TemporaryFolder) throws -> String {
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db]).status, 0)
        return db
    }

    /// A generated scan large enough that an ingest takes a while.
    private func bigScan(_ folder: TemporaryFolder) throws -> String {
        let path = folder.path("big")
        _ = try CLI.python("""
            import sys, os
            sys.path.insert(0, os.path.join(sys.argv[2], 'Benchmarks'))
            import bench
            bench.make_dataset(sys.argv[1], 150, 128, 800, seed=4)
            """, [path, CLI.repositoryRoot.path])
        return path
    }

    func testCheckPassesOnAGoodStoreAndListsProblemsOnABadOne() throws {
        let folder = try TemporaryFolder()
        let db = try exampleStore(folder)
        let good = try CLI.run(["check", "--db", db, "--format", "csv"])
        XCTAssertEqual(good.status, 0, good.stdout + good.stderr)
        XCTAssertTrue(good.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.contains(",ok,") }, good.stdout)
        do {
            let store = try Store(path: db, access: .write)
            try store.connection.execute("""
                UPDATE attribution SET matrix = substr(matrix, 1, 100) WHERE attribution_id = 1;
                UPDATE scan SET n_coefficients = 127;
                """)
        }
        let bad = try CLI.run(["check", "--db", db, "--format", "csv"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stdout.contains("matrix_length,problem,\"attribution 1: 100 bytes, expected 6656\""), bad.stdout)
        XCTAssertTrue(bad.stdout.contains("coefficient_grid,problem"), bad.stdout)
        XCTAssertTrue(bad.stderr.contains("check found"), bad.stderr)
    }

    func testBackupIsConsistentEvenDuringAnIngest() throws {
        let folder = try TemporaryFolder()
        let db = try exampleStore(folder)
        let big = try bigScan(folder)
        let writer = Process()
        writer.executableURL = CLI.binary
        writer.arguments = ["ingest", big, "--run", "big", "--db", db]
        writer.standardError = Pipe()
        try writer.run()
        let copy = folder.path("copy.sqlite")
        let backup = try CLI.run(["backup", copy, "--db", db])
        writer.waitUntilExit()
        XCTAssertEqual(backup.status, 0, backup.stderr)
        XCTAssertEqual(try CLI.run(["check", "--db", copy]).status, 0)
        // The copy holds the example whole, and the big run either whole or not at all.
        let runs = try CLI.run(["runs", "--db", copy, "--format", "csv", "--no-headers"]).stdout
        XCTAssertTrue(runs.contains("modadd,2L-128d-4h"), runs)
        if runs.contains("big,") { XCTAssertTrue(runs.contains(",150,800,15360000,"), runs) }
        let values = { (path: String) in try CLI.run(["export", "values", "--run", "modadd", "--db", path, "--format", "csv"]).stdout }
        XCTAssertEqual(try values(copy), try values(db))
        XCTAssertEqual(try CLI.run(["backup", copy, "--db", db]).status, 1, "an existing destination is refused without --force")
        XCTAssertEqual(try CLI.run(["backup", copy, "--force", "--db", db]).status, 0)
    }

    func testAKilledIngestIsRolledBackByTheNextCommand() throws {
        let folder = try TemporaryFolder()
        let db = try exampleStore(folder)
        let big = try bigScan(folder)
        let before = try CLI.run(["export", "values", "--run", "modadd", "--db", db, "--format", "csv"]).stdout
        let writer = Process()
        writer.executableURL = CLI.binary
        writer.arguments = ["ingest", big, "--run", "modadd", "--replace", "--scan", "default", "--db", db]
        writer.standardError = Pipe()
        try writer.run()
        Thread.sleep(forTimeInterval: 0.15)
        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        // A read rolls the hot journal back: the run is as it was, and the store checks out.
        let runs = try CLI.run(["runs", "--db", db, "--format", "csv"])
        XCTAssertEqual(runs.status, 0, runs.stderr)
        XCTAssertEqual(try CLI.run(["check", "--db", db]).status, 0)
        let after = try CLI.run(["export", "values", "--run", "modadd", "--db", db, "--format", "csv"]).stdout
        XCTAssertTrue(after == before || after.split(separator: "\n").count == 150 * 128 * 800 + 1, "neither the old nor the new run")
    }

    func testCorruptedStoresGiveAClearErrorNotACrash() throws {
        let folder = try TemporaryFolder()
        let db = try exampleStore(folder)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: db))
        let flippedHeader = folder.path("header.sqlite"), truncated = folder.path("truncated.sqlite"), flippedPage = folder.path("page.sqlite")
        var header = bytes
        for i in 0..<16 { header[i] ^= 0xFF }
        try header.write(to: URL(fileURLWithPath: flippedHeader))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: truncated))
        var page = bytes
        for i in stride(from: 65_536 + 100, to: 65_536 * 3, by: 7) { page[i] ^= 0x5A }
        try page.write(to: URL(fileURLWithPath: flippedPage))
        for path in [flippedHeader, truncated, flippedPage] {
            for command in [["runs"], ["capacity", "--run", "modadd"], ["check"], ["export", "values", "--run", "modadd"]] {
                let result = try CLI.run(command + ["--db", path])
                XCTAssertTrue([1, 2, 3].contains(result.status), "\(command) on \((path as NSString).lastPathComponent): status \(result.status) \(result.stderr)")
                if result.status != 0 && command != ["check"] {
                    XCTAssertTrue(result.stderr.hasPrefix("attrdb: "), result.stderr)
                }
            }
        }
    }
}
