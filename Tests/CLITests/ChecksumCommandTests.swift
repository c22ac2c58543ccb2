@testable import AttrDB
import Foundation
import XCTest

/// Issue 9, defect 7: bytes changed inside a stored matrix must fail `attrdb check`, naming the matrix.
final class ChecksumCommandTests: XCTestCase {
    /// The reference xxHash64 of schema/README.md: the Python block that defines `xxh64`.
    private func documentedReference() throws -> String {
        let readme = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("schema/README.md"), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```python\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let reference = try XCTUnwrap(blocks.first { $0.contains("def xxh64(") }, "schema/README.md has no Python block defining xxh64")
        return reference
    }

    /// Overwrites 16 bytes in the middle of the stored matrix of checkpoint `index` of the example,
    /// found in the file by its bytes (component-major float32, as ingested); returns that checkpoint's step.
    private func corruptMatrix(store: String, checkpointIndex index: Int) throws -> Int {
        let output = try CLI.python("""
            import json, sys, numpy as np
            store, example, index = sys.argv[1], sys.argv[2], int(sys.argv[3])
            matrix = np.load(example + '/attributions.npy')[index].T.astype('<f4').tobytes()
            data = bytearray(open(store, 'rb').read())
            at = data.find(matrix)
            assert at >= 0 and data.find(matrix, at + 1) < 0, 'the matrix is not stored contiguously once'
            middle = at + len(matrix) // 2 - 8
            data[middle:middle + 16] = b'\\x7f\\xc0\\x00\\x00' * 4   # NaNs where numbers were
            open(store, 'r+b').write(data)
            print(json.load(open(example + '/axes.json'))['checkpoint_steps'][index])
            """, [store, CLI.example.path, "\(index)"])
        return try XCTUnwrap(Int(output.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    func testSixteenBytesOverwrittenInAStoredMatrixFailCheckNamingTheMatrix() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db]).status, 0)
        let intact = try CLI.run(["check", "--db", db, "--format", "csv"])
        XCTAssertEqual(intact.status, 0, intact.stdout + intact.stderr)
        XCTAssertTrue(intact.stdout.contains("matrix_checksum,ok,"), intact.stdout)

        let step = try corruptMatrix(store: db, checkpointIndex: 20)
        let bad = try CLI.run(["check", "--db", db, "--format", "csv"])
        XCTAssertEqual(bad.status, 1, bad.stdout + bad.stderr)
        // SQLite's own check cannot see it: the pages are well-formed, only values changed.
        XCTAssertTrue(bad.stdout.contains("integrity_check,ok,"), bad.stdout)
        let problems = bad.stdout.split(separator: "\n").filter { $0.contains(",problem,") }
        XCTAssertEqual(problems.count, 1, bad.stdout)
        XCTAssertTrue(problems.first?.hasPrefix("matrix_checksum,problem,\"run modadd, scan default, metric logit_diff, checkpoint step \(step) (attribution 21): checksum ") == true, bad.stdout)
        XCTAssertTrue(bad.stderr.contains("check found 1 problem"), bad.stderr)
    }

    /// The read-path guard: `export values` hashes what it reads, so a damaged matrix is not exported
    /// as numbers (NaN where the bytes were overwritten) in any format.
    func testExportValuesRefusesADamagedMatrix() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db]).status, 0)
        XCTAssertEqual(try CLI.run(["export", "values", "--run", "modadd", "--format", "csv", "--db", db]).status, 0)
        let step = try corruptMatrix(store: db, checkpointIndex: 7)
        for format in ["csv", "npy"] {
            let export = try CLI.run(["export", "values", "--run", "modadd", "--format", format, "-o", folder.path("v.\(format)"), "--db", db])
            XCTAssertEqual(export.status, 2, format + export.stderr)
            XCTAssertTrue(export.stderr.contains("\(db): the stored matrix of run modadd, scan default, metric logit_diff, checkpoint step \(step) is damaged: its bytes hash to "), export.stderr)
        }
        // Checkpoints before the damaged one still export.
        let earlier = try CLI.run(["export", "values", "--run", "modadd", "--checkpoint", "0", "--format", "csv", "--db", db])
        XCTAssertEqual(earlier.status, 0, earlier.stderr)
    }

    func testStoredChecksumsEqualTheDocumentedPythonComputation() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db]).status, 0)
        let output = try CLI.python(try documentedReference() + """

            import sqlite3, sys
            assert hex(xxh64(b'abc')) == '0x44bc2cf5ad770999' and hex(xxh64(b'')) == '0xef46db3751d8e999'
            con = sqlite3.connect(sys.argv[1])
            rows = con.execute('SELECT attribution_id, checksum, matrix FROM attribution').fetchall()
            bad = [aid for aid, stored, blob in rows if xxh64(blob) != stored % 2**64]
            print(len(rows), bad)
            """, [db])
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "33 []")
    }

    /// A store written by attrdb before checksums (schema version 1, made by the landed main from
    /// Tests/fixtures/schema1-src): refused by check until upgraded, then upgraded whole, then passes.
    func testAStoreFromBeforeChecksumsMigratesAndThenPasses() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("old.sqlite")
        let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/fixtures")
        _ = try CLI.python("""
            import gzip, shutil, sys
            with gzip.open(sys.argv[1]) as f, open(sys.argv[2], 'wb') as out: shutil.copyfileobj(f, out)
            """, [fixtures.appendingPathComponent("schema1-store.sqlite.gz").path, db])
        let old = try CLI.run(["check", "--db", db])
        XCTAssertEqual(old.status, 2, old.stdout + old.stderr)
        XCTAssertTrue(old.stderr.contains("schema version 1 is older"), old.stderr)

        let upgrade = try CLI.run(["init", "--db", db])
        XCTAssertEqual(upgrade.status, 0, upgrade.stderr)
        XCTAssertTrue(upgrade.stdout.contains("schema version \(Migration.latestVersion)"), upgrade.stdout)
        let check = try CLI.run(["check", "--db", db, "--format", "csv"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("matrix_checksum,ok,"), check.stdout)

        // Every matrix kept its id and bytes (equal to the arrays the fixture was ingested from),
        // and its checksum is the documented computation's.
        let output = try CLI.python(try documentedReference() + """

            import sqlite3, sys, numpy as np
            con = sqlite3.connect(sys.argv[1])
            found = {}
            for aid, run, step, stored, blob in con.execute('''SELECT a.attribution_id, r.name, c.step, a.checksum, a.matrix
                    FROM attribution a JOIN checkpoint c USING (checkpoint_id) JOIN run r USING (run_id)'''):
                assert xxh64(blob) == stored % 2**64, aid
                found[(run, step)] = (aid, blob)
            expected = {}
            aid = 1
            for run, steps in (('tiny', [0, 10, 100]), ('single', [5, 50])):
                values = np.load(sys.argv[2] + '/' + run + '/attributions.npy')
                for k, step in enumerate(steps):
                    expected[(run, step)] = (aid, values[k].T.astype('<f4').tobytes())
                    aid += 1
            assert found == expected, (sorted(found), sorted(expected))
            print(len(found))
            """, [db, fixtures.appendingPathComponent("schema1-src").path])
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "5")
        let runs = try CLI.run(["runs", "--db", db, "--format", "csv", "--no-headers"])
        XCTAssertTrue(runs.stdout.contains("tiny,tiny,fixture,3,5,60,"), runs.stdout)
    }
}

/// Issue 13 §1: `check` verifies the summaries kept at ingest against the matrices.
final class SummaryCheckCommandTests: XCTestCase {
    func testATamperedSummaryFailsCheckNamingRunAndCheckpoint() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db]).status, 0)
        let intact = try CLI.run(["check", "--db", db, "--format", "csv"])
        XCTAssertEqual(intact.status, 0, intact.stdout + intact.stderr)
        XCTAssertTrue(intact.stdout.contains("summaries,ok,"), intact.stdout)
        // The sum of |v| of component 3 at the checkpoint of step 119, doubled.
        _ = try CLI.python("""
            import sqlite3, struct, sys
            con = sqlite3.connect(sys.argv[1])
            sid, blob = con.execute("SELECT s.summary_id, s.components FROM attribution_summary s JOIN attribution a USING (attribution_id) JOIN checkpoint c USING (checkpoint_id) WHERE c.step = 119 AND s.statistic = 'abs'").fetchone()
            values = list(struct.unpack(f'<{len(blob) // 8}d', blob))
            values[3] *= 2
            con.execute("UPDATE attribution_summary SET components = ? WHERE summary_id = ?", (struct.pack(f'<{len(values)}d', *values), sid))
            con.commit()
            """, [db])
        let bad = try CLI.run(["check", "--db", db, "--format", "csv"])
        XCTAssertEqual(bad.status, 1, bad.stdout + bad.stderr)
        let problems = bad.stdout.split(separator: "\n").filter { $0.contains(",problem,") }
        XCTAssertEqual(problems.count, 1, bad.stdout)
        XCTAssertTrue(problems.first?.hasPrefix("summaries,problem,\"run modadd, scan default, metric logit_diff, checkpoint step 119 (attribution ") == true, bad.stdout)
        XCTAssertTrue(problems.first?.contains("the 'abs' sum of the component at position 3 is ") == true, bad.stdout)
        XCTAssertTrue(bad.stderr.contains("check found 1 problem"), bad.stderr)
    }
}
