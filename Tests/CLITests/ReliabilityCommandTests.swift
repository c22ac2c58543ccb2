@testable import AttrDB
import Foundation
import XCTest

final class ReliabilityCommandTests: XCTestCase {
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
        let db = try CLI.exampleStore(in: folder)
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
        let db = try CLI.exampleStore(in: folder)
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
        let db = try CLI.exampleStore(in: folder)
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
        let db = try CLI.exampleStore(in: folder)
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

final class HostileInputCommandTests: XCTestCase {
    /// A full disk mid-ingest: a clear error, exit 2, and the store byte for byte as it was, and usable.
    func testFullDiskLeavesTheStoreUnchanged() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db]).status, 0)
        let big = folder.path("big")
        _ = try CLI.python("""
            import sys, os
            sys.path.insert(0, os.path.join(sys.argv[2], 'Benchmarks'))
            import bench
            bench.make_dataset(sys.argv[1], 60, 128, 800, seed=6)
            """, [big, CLI.repositoryRoot.path])
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        // ulimit -f: the file may not grow past 3 MB, as on a disk that fills up.
        let limited = try CLI.run(["-c", "ulimit -f 3000; exec \"$0\" ingest \"$1\" --run big --db \"$2\"", CLI.binary.path, big, db],
                                  executable: URL(fileURLWithPath: "/bin/sh"))
        XCTAssertEqual(limited.status, 2, limited.stderr)
        XCTAssertEqual(limited.stderr, "attrdb: \(db): the disk is full; nothing was written\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
        // Depending on where the write failed, a journal may be left beside the unchanged file; the
        // next command plays it back (a no-op on these bytes) and deletes it.
        XCTAssertEqual(try CLI.run(["check", "--db", db]).status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db + "-journal"))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "again", "--db", db]).status, 0, "still usable")

        // A real small file system, where this machine lets us mount one.
        let mount = folder.path("tiny")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        guard try CLI.run(["-c", "mount -t tmpfs -o size=4m tmpfs \"$0\"", mount], executable: URL(fileURLWithPath: "/bin/sh")).status == 0 else { return }
        defer { _ = try? CLI.run(["-c", "umount \"$0\"", mount], executable: URL(fileURLWithPath: "/bin/sh")) }
        let small = mount + "/s.sqlite"
        try FileManager.default.copyItem(atPath: db, toPath: small)
        let copy = try Data(contentsOf: URL(fileURLWithPath: small))
        let full = try CLI.run(["ingest", big, "--run", "big", "--db", small])
        XCTAssertEqual(full.status, 2, full.stderr)
        XCTAssertTrue(full.stderr.contains("the disk is full"), full.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: small)), copy)
        XCTAssertEqual(try CLI.run(["check", "--db", small]).status, 0)
    }

    /// Names with quotes, semicolons, newlines, unicode and SQL are stored and shown verbatim.
    func testHostileNamesAreStoredAndShownVerbatim() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let run = "x'); DROP TABLE run; -- \"ünï\" 🧠;\nsecond line"
        let label = "L0H0'; DELETE FROM component; --"
        let csv = folder.path("h.csv")
        try "checkpoint_step,coefficient,component,layer,kind,value\n1,0,\"\(label.replacingOccurrences(of: "\"", with: "\"\""))\",0,attn_head,1.5\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CLI.run(["ingest", csv, "--run", run, "--db", db]).status, 0)
        XCTAssertEqual(try CLI.run(["tag", run, "note=a;b 'c' \"d\" $(rm -rf /)", "--db", db]).status, 0)
        let json = try CLI.run(["runs", "--db", db, "--format", "json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual(parsed?.first?["name"] as? String, run)
        XCTAssertEqual(parsed?.first?["tags"] as? String, "note=a;b 'c' \"d\" $(rm -rf /)")
        let values = try CLI.run(["export", "values", "--run", run, "--db", db, "--format", "jsonl"])
        XCTAssertEqual(values.stdout, #"{"checkpoint_step":1,"coefficient":0.0,"component":"L0H0'; DELETE FROM component; --","layer":0,"kind":"attn_head","value":1.5}"# + "\n")
        XCTAssertEqual(try CLI.run(["check", "--db", db]).status, 0)
    }

    /// A damaged matrix gives every reader the same clean message, profile's incremental reads
    /// included, and the status of a store that cannot be used (2): the input was not at fault.
    /// A query answered from the summaries reads no matrix: it answers as before the damage, and
    /// `check` is what names the matrix (reading each matrix's length cost a whole-grid query at
    /// 10⁹ values a 64 KiB page per checkpoint).
    func testADamagedMatrixGivesTheSameCleanMessageToEveryReader() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db]).status, 0)
        let fromSummaries = ["capacity", "--checkpoint", "last", "--by", "component", "--run", "modadd", "--db", db, "--format", "csv"]
        let before = try CLI.run(fromSummaries)
        XCTAssertEqual(before.status, 0, before.stderr)
        do {
            let store = try Store(path: db, access: .write)
            // Short of the last component only: a profile of the first component lies inside what is left.
            try store.connection.execute("UPDATE attribution SET matrix = substr(matrix, 1, 6000)")
        }
        XCTAssertEqual(try CLI.run(fromSummaries).stdout, before.stdout)
        let check = try CLI.run(["check", "--db", db, "--format", "csv"])
        XCTAssertEqual(check.status, 1)
        XCTAssertTrue(check.stdout.contains("6000 bytes, expected 6656"), check.stdout)
        let message = "attrdb: stored matrix of checkpoint 4000 has 6000 bytes, expected 6656: run 'attrdb check'\n"
        for command in [["capacity", "--checkpoint", "last", "--by", "component", "--coef=-1:1"], ["profile", "--component", "L0H0"],
                        ["profile", "--component", "bias"], ["top"], ["clusters", "-k", "2"]] {
            let result = try CLI.run(command + ["--run", "modadd", "--db", db])
            XCTAssertEqual(result.status, 2, "\(command): \(result.stderr)")
            XCTAssertEqual(result.stderr, message, "\(command)")
            XCTAssertEqual(result.stdout, "", "\(command)")
        }
    }
}
