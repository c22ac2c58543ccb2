import Foundation
import XCTest

/// `attrdb merge` (issue 13 §3): the stores of a Slurm array's tasks brought into one.
final class MergeCommandTests: XCTestCase {
    /// Writes the bundled example split by checkpoint into dataset folders `name` (checkpoint indices
    /// `from..<to`, statistics of those steps only); `seed` > 0 replaces the values with random ones.
    private func part(_ folder: TemporaryFolder, _ name: String, _ from: Int, _ to: Int, seed: Int = 0, coefficientsScale: Double = 1) throws {
        _ = try CLI.python("""
            import csv, json, os, shutil, sys, numpy as np
            example, out, a, b, seed, scale = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
            os.makedirs(out)
            values = np.load(example + '/attributions.npy')[a:b]
            if seed:
                values = np.random.default_rng(seed).standard_normal(values.shape).astype(values.dtype)
            np.save(out + '/attributions.npy', values)
            axes = json.load(open(example + '/axes.json'))
            axes['checkpoint_steps'] = axes['checkpoint_steps'][a:b]
            axes['coefficients'] = [c * scale for c in axes['coefficients']]
            json.dump(axes, open(out + '/axes.json', 'w'))
            steps = {str(s) for s in axes['checkpoint_steps']}
            for table in ['losses.csv', 'resid_norms.csv', 'wov_norms.csv']:
                rows = list(csv.reader(open(os.path.join(example, table))))
                with open(os.path.join(out, table), 'w', newline='') as f:
                    csv.writer(f).writerows([rows[0]] + [r for r in rows[1:] if r[0] in steps])
            """, [CLI.example.path, folder.path(name), "\(from)", "\(to)", "\(seed)", "\(coefficientsScale)"])
    }

    private func ingest(_ folder: TemporaryFolder, _ part: String, into store: String, run: String = "modadd", precision: String = "f32") throws {
        let result = try CLI.run(["ingest", folder.path(part), "--run", run, "--db", folder.path(store), "--precision", precision])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// Every table's rows (ids included) as text, and the file's SHA-256: what "unchanged" compares.
    private func dump(_ store: String) throws -> String {
        try CLI.python("""
            import hashlib, sqlite3, sys
            con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
            for (table,) in con.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"):
                for row in con.execute(f'SELECT * FROM "{table}" ORDER BY 1, 2'):
                    print(table, [hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v for v in row])
            """, [store])
    }

    private func fileHash(_ path: String) throws -> String {
        try CLI.python("import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())", [path])
    }

    /// What a run holds, by step and independent of ids: values, statistics, norms, tags, status.
    private func content(_ store: String) throws -> String {
        try CLI.python("""
            import hashlib, sqlite3, sys
            con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
            q = lambda sql: sorted(map(tuple, con.execute(sql).fetchall()))
            print(q("SELECT r.name, r.model, r.task, r.config, r.status FROM run r"))
            print(q("SELECT c.step, s.name, m.name, a.checksum, hex(a.matrix) FROM attribution a JOIN checkpoint c USING (checkpoint_id) JOIN scan s USING (scan_id) JOIN metric m USING (metric_id)"))
            print(q("SELECT c.step, t.name, t.value FROM checkpoint_stat t JOIN checkpoint c USING (checkpoint_id)"))
            print(q("SELECT c.step, t.layer, t.hook, t.norm FROM resid_norm t JOIN checkpoint c USING (checkpoint_id)"))
            print(q("SELECT c.step, t.layer, t.head, t.frobenius_norm FROM wov_norm t JOIN checkpoint c USING (checkpoint_id)"))
            print(q("SELECT p.position, p.label, p.layer, p.kind, p.head_or_neuron FROM component p"))
            print(q("SELECT k.position, k.value FROM coefficient k"))
            print(q("SELECT key, value FROM run_tag"))
            print(q("SELECT c.step, x.statistic, hex(x.layers), hex(x.components) FROM attribution_summary x JOIN attribution a USING (attribution_id) JOIN checkpoint c USING (checkpoint_id)"))
            print(q("SELECT c.step, x.statistic, x.n_layers, hex(x.sums), x.entropy, x.gini, hex(x.largest) FROM summary_totals x JOIN attribution a USING (attribution_id) JOIN checkpoint c USING (checkpoint_id)"))
            print(q("SELECT name, precision FROM run"))
            """, [store])
    }

    /// Halves of an f16 run merge into what one f16 ingest stores (16-bit matrices and their summaries
    /// as stored); a half kept in f32 is refused with exit 4 naming both precisions, store unchanged.
    func testA16BitRunMergesAsStoredAndAnotherPrecisionIsRefused() throws {
        let folder = try TemporaryFolder()
        try part(folder, "whole", 0, 1_000)
        try part(folder, "first", 0, 20)
        try part(folder, "second", 20, 1_000)
        try ingest(folder, "whole", into: "whole.sqlite", precision: "f16")
        try ingest(folder, "first", into: "a.sqlite", precision: "f16")
        try ingest(folder, "second", into: "b.sqlite", precision: "f16")
        try ingest(folder, "second", into: "b32.sqlite")
        let merged = try CLI.run(["--db", folder.path("all.sqlite"), "merge", folder.path("a.sqlite"), folder.path("b.sqlite")])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        XCTAssertEqual(try content(folder.path("all.sqlite")), try content(folder.path("whole.sqlite")))
        let check = try CLI.run(["--db", folder.path("all.sqlite"), "check", "--format", "csv"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)

        let partial = folder.path("partial.sqlite")
        XCTAssertEqual(try CLI.run(["--db", partial, "merge", folder.path("a.sqlite")]).status, 0)
        let before = try dump(partial)
        let refused = try CLI.run(["--db", partial, "merge", folder.path("b32.sqlite"), "--replace"])
        XCTAssertEqual(refused.status, 4, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("f16") && refused.stderr.contains("f32"), refused.stderr)
        XCTAssertEqual(try dump(partial), before)
    }

    /// Two halves of a run ingested on two "nodes", merged: the whole run, as one ingest of it
    /// stores it (values bit for bit, checksums, statistics, norms, tags); the sources unchanged to
    /// the byte; a second merge changes no byte of any table; `check` passes.
    func testTwoHalvesMergeIntoTheWholeRunAndMergingTwiceChangesNothing() throws {
        let folder = try TemporaryFolder()
        try part(folder, "whole", 0, 1_000)
        try part(folder, "first", 0, 20)
        try part(folder, "second", 20, 1_000)
        try ingest(folder, "whole", into: "whole.sqlite")
        try ingest(folder, "first", into: "a.sqlite")
        try ingest(folder, "second", into: "b.sqlite")
        for db in ["whole.sqlite", "a.sqlite"] {
            XCTAssertEqual(try CLI.run(["tag", "modadd", "node=0", "--db", folder.path(db)]).status, 0)
        }
        let sources = [folder.path("a.sqlite"), folder.path("b.sqlite")]
        let before = try sources.map(fileHash)
        let dest = folder.path("merged.sqlite")

        let first = try CLI.run(["merge"] + sources + ["--db", dest])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("a.sqlite: 1 run (modadd), 1 new; 20 checkpoint matrices added"), first.stderr)
        XCTAssertEqual(try content(dest), try content(folder.path("whole.sqlite")))
        XCTAssertEqual(try sources.map(fileHash), before, "a source changed")
        // A new store is merged into with a rollback journal, and left in WAL mode like every store.
        let mode = try CLI.python("import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA journal_mode').fetchone()[0])", [dest])
        XCTAssertEqual(mode.trimmingCharacters(in: .whitespacesAndNewlines), "wal")

        let tables = try dump(dest)
        let second = try CLI.run(["merge"] + sources + ["--db", dest])
        XCTAssertEqual(second.status, 0, second.stderr)
        XCTAssertTrue(second.stderr.contains("0 checkpoint matrices added, 20 identical, 0 replaced"), second.stderr)
        XCTAssertTrue(second.stderr.contains("nothing new: store unchanged"), second.stderr)
        XCTAssertEqual(try dump(dest), tables)
        let check = try CLI.run(["check", "--db", dest])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
    }

    /// A checkpoint whose values differ is refused with exit 4, naming the run, the step and the
    /// source, and the store is left as it was; `--replace` takes the source's values.
    func testDifferingValuesAreRefusedUnlessReplace() throws {
        let folder = try TemporaryFolder()
        try part(folder, "first", 0, 10)
        try part(folder, "other", 5, 15, seed: 7)   // steps 5–9 again, with other values
        try ingest(folder, "first", into: "dest.sqlite")
        try ingest(folder, "other", into: "other.sqlite")
        let dest = folder.path("dest.sqlite")
        let before = try dump(dest)
        let refused = try CLI.run(["merge", folder.path("other.sqlite"), "--db", dest])
        XCTAssertEqual(refused.status, 4, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("other.sqlite: run 'modadd', scan 'default', metric 'logit_diff', checkpoint step"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--replace"), refused.stderr)
        XCTAssertEqual(try dump(dest), before, "a refused merge changed the store")

        let replaced = try CLI.run(["merge", folder.path("other.sqlite"), "--replace", "--db", dest])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertTrue(replaced.stderr.contains("5 checkpoint matrices added, 0 identical, 5 replaced"), replaced.stderr)
        let same = try CLI.python("""
            import sqlite3, sys
            q = "SELECT c.step, a.matrix FROM attribution a JOIN checkpoint c USING (checkpoint_id) WHERE c.step IN (SELECT step FROM checkpoint) ORDER BY c.step"
            ours = dict(sqlite3.connect(sys.argv[1]).execute(q).fetchall())
            theirs = dict(sqlite3.connect(sys.argv[2]).execute(q).fetchall())
            print(len(ours), all(ours[s] == m for s, m in theirs.items()))
            """, [dest, folder.path("other.sqlite")])
        XCTAssertEqual(same.trimmingCharacters(in: .whitespacesAndNewlines), "15 True")
        XCTAssertEqual(try CLI.run(["check", "--db", dest]).status, 0)
    }

    /// A run whose coefficient grid differs is refused with exit 4, the store unchanged.
    func testAnotherGridIsRefused() throws {
        let folder = try TemporaryFolder()
        try part(folder, "first", 0, 10)
        try part(folder, "scaled", 10, 20, coefficientsScale: 2)
        try ingest(folder, "first", into: "dest.sqlite")
        try ingest(folder, "scaled", into: "scaled.sqlite")
        let dest = folder.path("dest.sqlite")
        let before = try dump(dest)
        let refused = try CLI.run(["merge", folder.path("scaled.sqlite"), "--db", dest])
        XCTAssertEqual(refused.status, 4, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("scan 'default' of run 'modadd': the coefficient grid differs"), refused.stderr)
        XCTAssertEqual(try dump(dest), before)
    }

    /// Sources that cannot be merged leave the store unchanged: one with a damaged matrix (exit 2,
    /// naming it), one made by a newer attrdb (exit 2), the store itself (exit 1), a run the source
    /// lacks (exit 3). A second source after a good one: the good one stays merged.
    func testUnusableSourcesAreRefusedAndTheStoreIsUnchanged() throws {
        let folder = try TemporaryFolder()
        try part(folder, "first", 0, 10)
        try part(folder, "second", 10, 20)
        try ingest(folder, "first", into: "dest.sqlite")
        try ingest(folder, "second", into: "damaged.sqlite")
        try ingest(folder, "second", into: "newer.sqlite")
        let dest = folder.path("dest.sqlite")
        let damaged = folder.path("damaged.sqlite")
        _ = try CLI.python("""
            import sqlite3, sys
            blob = sqlite3.connect(sys.argv[1]).execute("SELECT a.matrix FROM attribution a JOIN checkpoint c USING (checkpoint_id) WHERE c.step = (SELECT max(step) FROM checkpoint)").fetchone()[0]
            data = bytearray(open(sys.argv[1], 'rb').read())
            at = data.find(blob)
            assert at >= 0
            data[at + 100:at + 104] = b'\\x7f\\xc0\\x00\\x00'
            open(sys.argv[1], 'r+b').write(data)
            con = sqlite3.connect(sys.argv[2]); con.execute("PRAGMA user_version = 99"); con.commit()
            """, [damaged, folder.path("newer.sqlite")])
        let before = try dump(dest)
        let bad = try CLI.run(["merge", damaged, "--db", dest])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("damaged.sqlite: the store is damaged: the matrix of run 'modadd', scan 'default', metric 'logit_diff', checkpoint step"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("does not match the checksum stored with it"), bad.stderr)
        let newer = try CLI.run(["merge", folder.path("newer.sqlite"), "--db", dest])
        XCTAssertEqual(newer.status, 2, newer.stderr)
        XCTAssertTrue(newer.stderr.contains("newer attrdb (schema version 99"), newer.stderr)
        let itself = try CLI.run(["merge", dest, "--db", dest])
        XCTAssertEqual(itself.status, 1, itself.stderr)
        XCTAssertTrue(itself.stderr.contains("is the store being merged into"), itself.stderr)
        let unknown = try CLI.run(["merge", damaged, "--run", "nope", "--db", dest])
        XCTAssertEqual(unknown.status, 3, unknown.stderr)
        XCTAssertEqual(try dump(dest), before)

        // One transaction per source: the good source before the damaged one stays merged.
        try ingest(folder, "second", into: "good.sqlite", run: "other")
        let mixed = try CLI.run(["merge", folder.path("good.sqlite"), damaged, "--db", dest])
        XCTAssertEqual(mixed.status, 2, mixed.stderr)
        let runs = try CLI.run(["runs", "--format", "csv", "--db", dest])
        XCTAssertEqual(runs.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }, ["modadd", "other"])
    }

    /// Each matrix is verified as it is copied: a source whose matrix is damaged in the middle of the
    /// copy (after earlier ones went in) fails as a whole, naming that matrix. A new destination is not
    /// left behind; an existing one (WAL and rollback journal alike) keeps every row and byte it had.
    func testAMatrixDamagedMidCopyLeavesTheStoreUnchanged() throws {
        let folder = try TemporaryFolder()
        try part(folder, "first", 0, 10)
        try part(folder, "second", 10, 20)
        try ingest(folder, "first", into: "dest.sqlite", run: "other")
        try ingest(folder, "second", into: "damaged.sqlite")
        let damaged = folder.path("damaged.sqlite")
        // The matrix of the middle checkpoint (the 5th of 10) gets one flipped value; the others stay good.
        let step = try CLI.python("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            step, blob = con.execute("SELECT c.step, a.matrix FROM attribution a JOIN checkpoint c USING (checkpoint_id) ORDER BY a.attribution_id LIMIT 1 OFFSET 4").fetchone()
            con.close()
            data = bytearray(open(sys.argv[1], 'rb').read())
            at = data.find(blob)
            assert at >= 0 and data.find(blob, at + 1) < 0
            data[at + 200:at + 204] = b'\\x00\\x00\\xc0\\x7f'
            open(sys.argv[1], 'r+b').write(data)
            print(step)
            """, [damaged]).trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = "damaged.sqlite: the store is damaged: the matrix of run 'modadd', scan 'default', metric 'logit_diff', checkpoint step \(step) does not match"

        let fresh = folder.path("fresh.sqlite")
        let intoNew = try CLI.run(["merge", damaged, "--db", fresh])
        XCTAssertEqual(intoNew.status, 2, intoNew.stderr)
        XCTAssertTrue(intoNew.stderr.contains(expected), intoNew.stderr)
        for suffix in ["", "-journal", "-wal", "-shm"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: fresh + suffix), "left behind: fresh.sqlite\(suffix)")
        }

        let dest = folder.path("dest.sqlite")
        let before = try dump(dest), beforeFile = try fileHash(dest)
        let intoExisting = try CLI.run(["merge", damaged, "--db", dest])
        XCTAssertEqual(intoExisting.status, 2, intoExisting.stderr)
        XCTAssertTrue(intoExisting.stderr.contains(expected), intoExisting.stderr)
        XCTAssertEqual(try dump(dest), before)
        XCTAssertEqual(try fileHash(dest), beforeFile)
    }

    /// A source matrix shorter than its shape is refused before it is copied, naming it and both
    /// lengths; the store keeps its bytes.
    func testAMatrixOfTheWrongLengthIsRefused() throws {
        let folder = try TemporaryFolder()
        try part(folder, "first", 0, 10)
        try part(folder, "second", 10, 20)
        try ingest(folder, "first", into: "dest.sqlite", run: "other")
        try ingest(folder, "second", into: "short.sqlite")
        let short = folder.path("short.sqlite")
        let step = try CLI.python("""
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            aid, step, n = con.execute("SELECT a.attribution_id, c.step, length(a.matrix) FROM attribution a JOIN checkpoint c USING (checkpoint_id) ORDER BY a.attribution_id LIMIT 1 OFFSET 2").fetchone()
            con.execute("UPDATE attribution SET matrix = substr(matrix, 1, ?) WHERE attribution_id = ?", (n - 4, aid))
            con.commit()
            print(step, n)
            """, [short]).split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        let dest = folder.path("dest.sqlite")
        let before = try fileHash(dest)
        let merged = try CLI.run(["merge", short, "--db", dest])
        XCTAssertEqual(merged.status, 2, merged.stderr)
        XCTAssertTrue(merged.stderr.contains("the matrix of run 'modadd', scan 'default', metric 'logit_diff', checkpoint step \(step[0]) does not match"), merged.stderr)
        XCTAssertTrue(merged.stderr.contains("it holds \((Int(step[1]) ?? 0) - 4) bytes where its shape takes \(step[1])"), merged.stderr)
        XCTAssertEqual(try fileHash(dest), before)
    }
}
