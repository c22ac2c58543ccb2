import Foundation
import XCTest

final class IngestCommandTests: XCTestCase {
    func testExampleFolderIngestsAndExportEqualsItsCSVValueForValue() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let ingest = try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertTrue(ingest.stderr.contains("modadd/default/logit_diff: 54912 values, 33 checkpoints × 128 coefficients × 13 components"), ingest.stderr)
        XCTAssertEqual(ingest.stdout, "")
        let export = try CLI.run(["export", "values", "--run", "modadd", "--format", "csv", "--db", db])
        XCTAssertEqual(export.status, 0, export.stderr)
        let expected = try String(contentsOf: CLI.example.appendingPathComponent("attributions.csv"), encoding: .utf8)
        let got = export.stdout.split(separator: "\n"), want = expected.split(separator: "\n")
        XCTAssertEqual(got.first, "checkpoint_step,coefficient,component,layer,kind,value")
        XCTAssertEqual(got.count, want.count)
        for (a, b) in zip(got.dropFirst(), want.dropFirst()) {
            let x = a.split(separator: ","), y = b.split(separator: ",")
            XCTAssertEqual(x[0], y[0]); XCTAssertEqual(Double(x[1]), Double(y[1])); XCTAssertEqual(x[2...4], y[2...4])
            XCTAssertEqual(Float(x[5]), Float(String(y[5])), "\(a) vs \(b)")
        }
        // Identical data again: nothing changes, and it says so.
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let again = try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("nothing new"), again.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
    }

    func testStatisticsAreStoredAndQueryable() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db]).status, 0)
        let counts = try CLI.run(["sql", "--db", db, "--format", "csv", "--no-headers",
                                  "SELECT (SELECT count(*) FROM checkpoint_stat), (SELECT count(*) FROM resid_norm), (SELECT count(*) FROM wov_norm)"])
        XCTAssertEqual(counts.stdout, "\(33 * 4),99,264\n", counts.stderr)
        let loss = try CLI.run(["sql", "--db", db, "--format", "csv", "--no-headers",
                                "SELECT s.value FROM checkpoint_stat s JOIN checkpoint c USING (checkpoint_id) WHERE c.step = 0 AND s.name = 'train_loss'"])
        XCTAssertEqual(loss.stdout, "4.41137838\n")
    }

    func testJSONLinesPipedOnStandardInputAppendCheckpoints() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        func lines(_ step: Int) -> String {
            ["L0H0", "L0H1", "0_mlp_out"].enumerated().map { i, label in
                #"{"checkpoint_step": \#(step), "component": "\#(label)", "value": \#(Double(step) + Double(i) / 4)}"#
            }.joined(separator: "\n") + "\n"
        }
        let first = try CLI.run(["ingest", "-", "--run", "live", "--metric", "loss", "--db", db], stdin: lines(1))
        XCTAssertEqual(first.status, 0, first.stderr)
        let second = try CLI.run(["ingest", "-", "--run", "live", "--metric", "loss", "--db", db], stdin: lines(2))
        XCTAssertEqual(second.status, 0, second.stderr)
        let export = try CLI.run(["export", "values", "--run", "live", "--format", "csv", "--no-headers", "--db", db])
        XCTAssertEqual(export.stdout, """
            1,0.0,L0H0,0,attn_head,1.0
            1,0.0,L0H1,0,attn_head,1.25
            1,0.0,0_mlp_out,0,mlp,1.5
            2,0.0,L0H0,0,attn_head,2.0
            2,0.0,L0H1,0,attn_head,2.25
            2,0.0,0_mlp_out,0,mlp,2.5

            """)
        let csv = try CLI.run(["ingest", "-", "--format", "csv", "--run", "piped", "--db", db],
                              stdin: "checkpoint_step,coefficient,component,value\n3,0.5,embed,1\n")
        XCTAssertEqual(csv.status, 0, csv.stderr)
    }

    func testBadInputExitsNonzeroAndLeavesTheStoreUnchanged() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db]).status, 0)
        let bad = folder.path("bad.csv")
        try "checkpoint_step,coefficient,component,value\n1,0,L0H0,oops\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let result = try CLI.run(["ingest", bad, "--run", "other", "--db", db])
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.stderr, "attrdb: \(bad): line 2, column 'value': expected a number, found 'oops'\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
        // Into a store that does not exist yet, bad input leaves no file behind.
        let fresh = folder.path("fresh.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", bad, "--run", "other", "--db", fresh]).status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fresh))
        let conflict = try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--model", "other-model", "--db", db])
        XCTAssertEqual(conflict.status, 4, conflict.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
    }
}
