import Foundation
import XCTest

/// `ingest --precision f32|f16|bf16` (issue 13 §2): 16-bit storage rounded to nearest even, the same
/// bits numpy makes, on every ingest path; read back as float32 by queries and exports; one precision a run.
final class PrecisionCommandTests: XCTestCase {
    /// Python that writes one dataset in every file format attrdb ingests, with values that test the
    /// rounding (ties at both precisions, f16 subnormals and underflow, -0, large but finite for f16)
    /// among normal random ones; `expected(values, precision)` is the reference bytes of one
    /// checkpoint's matrix as stored (component-major): numpy's astype(float16), and bf16 by the
    /// round-to-nearest-even formula in numpy integers.
    static let dataset = """
        import json, sys, os
        import numpy as np
        STEPS, COEFS, COMPS = [0, 10, 20], [-1.0, 0.0, 0.5, 1.0], ['L0H0', 'L0H1', '0_mlp_out', 'embed', 'bias']
        def values():
            rng = np.random.default_rng(7)
            v = (rng.standard_normal((len(STEPS), len(COEFS), len(COMPS))) * 10.0).astype('<f4')
            tricky = np.array([1 + 2**-11, 1 + 3 * 2**-11, 1 + 2**-8, 1 + 3 * 2**-8, 2**-24, 2**-25, 3 * 2**-25, 2**-30,
                               -0.0, 65504.0, 60000.0, 2**-14 - 2**-25, -(1 + 2**-11), 1e-8, 3.0e-5, 12345.678], dtype='<f4')
            v.reshape(-1)[:tricky.size] = tricky
            return v
        def bf16_bits(x):
            u = np.ascontiguousarray(x, dtype='<f4').view('<u4').astype(np.uint64)
            return ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype('<u2')
        def expected(matrix, precision):
            m = np.ascontiguousarray(matrix.T, dtype='<f4')   # component-major, as stored
            if precision == 'f16': return m.astype('<f2').tobytes()
            if precision == 'bf16': return bf16_bits(m).tobytes()
            return m.tobytes()
        def decoded(matrix, precision):
            b = expected(matrix, precision)
            if precision == 'f16': return np.frombuffer(b, '<f2').astype('<f4')
            if precision == 'bf16': return (np.frombuffer(b, '<u2').astype(np.uint32) << 16).view('<f4')
            return np.frombuffer(b, '<f4')
        def write_all(folder):
            v = values()
            axes = {'checkpoint_steps': STEPS, 'coefficients': COEFS, 'components': COMPS, 'metric': 'logit_diff'}
            os.makedirs(folder + '/dir', exist_ok=True)
            np.save(folder + '/dir/attributions.npy', v)
            json.dump(axes, open(folder + '/dir/axes.json', 'w'))
            np.savez(folder + '/data.npz', attributions=v, axes=np.array(json.dumps(axes)))
            layer = {'L0H0': 0, 'L0H1': 0, '0_mlp_out': 0, 'embed': -1, 'bias': 1}
            kind = {'L0H0': 'attn_head', 'L0H1': 'attn_head', '0_mlp_out': 'mlp', 'embed': 'embed', 'bias': 'bias'}
            rows = [(s, c, p, v[i, j, k]) for i, s in enumerate(STEPS) for j, c in enumerate(COEFS) for k, p in enumerate(COMPS)]
            for name, sep in (('data.csv', ','), ('data.tsv', '\\t')):
                with open(folder + '/' + name, 'w') as f:
                    f.write(sep.join(['checkpoint_step', 'coefficient', 'component', 'layer', 'kind', 'value']) + '\\n')
                    for s, c, p, x in rows:
                        f.write(sep.join([str(s), repr(c), p, str(layer[p]), kind[p], repr(float(x))]) + '\\n')
            with open(folder + '/data.jsonl', 'w') as f:
                for s, c, p, x in rows:
                    f.write(json.dumps({'checkpoint_step': s, 'coefficient': c, 'component': p, 'layer': layer[p], 'kind': kind[p], 'value': float(x)}) + '\\n')

        """

    /// The inputs `write_all` makes, by the name the tests give their runs.
    static let inputs = ["dir": "dir", "npy": "dir/attributions.npy", "npz": "data.npz", "csv": "data.csv", "tsv": "data.tsv", "jsonl": "data.jsonl"]

    func testEveryFileIngestPathStoresNumpysRoundingBitExactAndChecksPass() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        _ = try CLI.python(Self.dataset + "write_all(sys.argv[1])\n", [folder.path("")])
        for (name, input) in Self.inputs.sorted(by: { $0.key < $1.key }) {
            for precision in ["f16", "bf16"] {
                let ingest = try CLI.run(["ingest", folder.path(input), "--run", "\(name)_\(precision)", "--precision", precision, "--db", db])
                XCTAssertEqual(ingest.status, 0, "\(name) \(precision): " + ingest.stderr)
            }
        }
        let check = try CLI.run(["check", "--db", db, "--format", "csv"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("matrix_length,ok,"), check.stdout)
        // Every stored matrix is the reference's bytes, 2 a value, and its checksum is of those bytes.
        let output = try CLI.python(Self.dataset + """
            import sqlite3, xxhash
            con = sqlite3.connect(sys.argv[1])
            v = values()
            checked = 0
            for run, precision, step, blob, checksum in con.execute('''SELECT r.name, r.precision, c.step, a.matrix, a.checksum
                    FROM attribution a JOIN checkpoint c USING (checkpoint_id) JOIN run r USING (run_id)'''):
                assert run.endswith('_' + precision), (run, precision)
                assert blob == expected(v[STEPS.index(step)], precision), (run, step)
                assert len(blob) == 2 * len(COEFS) * len(COMPS)
                assert xxhash.xxh64_intdigest(blob) == checksum % 2**64, (run, step)
                checked += 1
            print(checked)
            """, [db])
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "\(Self.inputs.count * 2 * 3)")
    }

    /// What every reader sees is the stored rounding as float32: `export values` in each format, the
    /// attribution_value view, and a query, which equals the same query over an f32 run of the
    /// already-rounded values.
    func testExportsViewAndQueriesReadTheRoundedValuesAsFloat32() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        _ = try CLI.python(Self.dataset + """
            write_all(sys.argv[1])
            v = values()
            for precision in ('f16', 'bf16'):
                os.makedirs(sys.argv[1] + '/rounded_' + precision, exist_ok=True)
                r = np.stack([decoded(m, precision).reshape(len(COMPS), len(COEFS)).T for m in v])
                np.save(sys.argv[1] + '/rounded_' + precision + '/attributions.npy', r)
                json.dump({'checkpoint_steps': STEPS, 'coefficients': COEFS, 'components': COMPS, 'metric': 'logit_diff'},
                          open(sys.argv[1] + '/rounded_' + precision + '/axes.json', 'w'))
            """, [folder.path("")])
        for precision in ["f16", "bf16"] {
            XCTAssertEqual(try CLI.run(["ingest", folder.path("dir"), "--run", precision, "--precision", precision, "--db", db]).status, 0)
            XCTAssertEqual(try CLI.run(["ingest", folder.path("rounded_\(precision)"), "--run", "rounded_\(precision)", "--db", db]).status, 0)
            for format in ["csv", "npy", "parquet"] {
                try FileManager.default.createDirectory(atPath: folder.path("out_\(precision)_\(format)"), withIntermediateDirectories: true)
                try FileManager.default.createDirectory(atPath: folder.path("out_rounded_\(precision)_\(format)"), withIntermediateDirectories: true)
                let out = folder.path("out_\(precision)_\(format)/values.\(format)")
                let export = try CLI.run(["export", "values", "--run", precision, "--format", format, "-o", out, "--db", db])
                XCTAssertEqual(export.status, 0, export.stderr)
                let roundedOut = folder.path("out_rounded_\(precision)_\(format)/values.\(format)")
                XCTAssertEqual(try CLI.run(["export", "values", "--run", "rounded_\(precision)", "--format", format, "-o", roundedOut, "--db", db]).status, 0)
                if format != "parquet" {  // parquet files carry the run's name; csv and npy are the values alone
                    XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), try Data(contentsOf: URL(fileURLWithPath: roundedOut)), "\(precision) \(format)")
                }
            }
            for command in [["capacity"], ["capacity", "--coef=-1:0.5"], ["profile", "--component", "L0H1"], ["top", "-k", "3"]] {
                let stored = try CLI.run(command + ["--run", precision, "--format", "csv", "--db", db])
                let reference = try CLI.run(command + ["--run", "rounded_\(precision)", "--format", "csv", "--db", db])
                XCTAssertEqual(stored.status, 0, stored.stderr)
                XCTAssertEqual(stored.stdout.replacingOccurrences(of: "rounded_\(precision)", with: precision),
                               reference.stdout.replacingOccurrences(of: "rounded_\(precision)", with: precision), command.joined(separator: " "))
            }
        }
        // The long-form view decodes each run's precision (f16_at, bf16_at): the same rows as the f32 run of the rounding.
        for precision in ["f16", "bf16"] {
            let view = try CLI.run(["sql", "--db", db, "--format", "csv", "--no-headers", """
                SELECT count(*), sum(a.value IS b.value) FROM attribution_value a JOIN attribution_value b
                ON a.run = '\(precision)' AND b.run = 'rounded_\(precision)' AND a.checkpoint_step = b.checkpoint_step
                AND a.component = b.component AND a.coefficient = b.coefficient
                """])
            XCTAssertEqual(view.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "60,60", view.stderr)
        }
    }

    func testARunHasOnePrecisionAndAnotherIsAConflict() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        _ = try CLI.python(Self.dataset + "write_all(sys.argv[1])\n", [folder.path("")])
        XCTAssertEqual(try CLI.run(["ingest", folder.path("dir"), "--run", "r", "--precision", "f16", "--db", db]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        for other in ["f32", "bf16"] {
            let refused = try CLI.run(["ingest", folder.path("data.csv"), "--run", "r", "--precision", other, "--replace", "--db", db])
            XCTAssertEqual(refused.status, 4, refused.stderr)
            XCTAssertTrue(refused.stderr.contains("run 'r' is stored in f16; the input asks for \(other), and a run has one precision"), refused.stderr)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before, "the store is unchanged")
        // Without --precision an existing run keeps its own: the same data again changes nothing.
        let again = try CLI.run(["ingest", folder.path("data.npz"), "--run", "r", "--db", db])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("nothing new"), again.stderr)
        let show = try CLI.run(["show", "r", "--db", db, "--format", "csv"])
        XCTAssertTrue(show.stdout.contains("precision,f16"), show.stdout)
    }

    func testShowPrintsThePrecisionAndTheLargestRoundingErrors() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        _ = try CLI.python(Self.dataset + "write_all(sys.argv[1])\n", [folder.path("")])
        XCTAssertEqual(try CLI.run(["ingest", folder.path("dir"), "--run", "h", "--precision", "f16", "--db", db]).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", folder.path("dir"), "--run", "b", "--precision", "bf16", "--db", db]).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", folder.path("dir"), "--run", "f", "--db", db]).status, 0)
        let reference = try CLI.python(Self.dataset + """
            v = values().reshape(-1)
            for precision in ('f16', 'bf16'):
                r = np.concatenate([decoded(m, precision) for m in values()])
                x = np.concatenate([np.ascontiguousarray(m.T).reshape(-1) for m in values()])
                kept = (x != 0) & (r != 0)
                rel = float(np.max(np.abs(r[kept] - x[kept]) / np.abs(x[kept])).astype(np.float32))
                zeroed = (x != 0) & (r == 0)
                print(precision, repr(float(np.float32(rel))), repr(float(np.max(np.abs(x[zeroed])))) if zeroed.any() else 0.0)
            """, [])
        let lines = reference.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(lines.count, 2, reference)
        for (run, line) in zip(["h", "b"], lines) {
            let show = try CLI.run(["show", run, "--db", db, "--format", "json"])
            XCTAssertEqual(show.status, 0, show.stderr)
            let facts = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [[String: Any]] ?? []
            let fact = { (name: String) in facts.first { $0["field"] as? String == name }?["value"] }
            XCTAssertEqual(fact("precision") as? String, line[0], show.stdout)
            XCTAssertEqual(Float("\(fact("max_relative_error") ?? "")"), Float(line[1]), show.stdout)
            XCTAssertEqual(Float("\(fact("max_rounded_to_zero") ?? "")"), Float(line[2]), show.stdout)
        }
        let f32 = try CLI.run(["show", "f", "--db", db, "--format", "csv"])
        XCTAssertTrue(f32.stdout.contains("precision,f32"), f32.stdout)
        XCTAssertFalse(f32.stdout.contains("max_relative_error"), f32.stdout)
    }

    func testOverflowIsRefusedUnlessAllowedAndBf16KeepsTheRange() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let csv = "checkpoint_step,coefficient,component,layer,kind,value\n0,0,L0H0,0,attn_head,1.5\n0,0,L0H1,0,attn_head,70000\n0,1,L0H0,0,attn_head,-65520\n0,1,L0H1,0,attn_head,2\n"
        let path = folder.path("big.csv")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["ingest", path, "--run", "r", "--precision", "f16", "--db", db])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("big.csv: 2 finite values are beyond f16's range (largest 65504) and would be stored as ±Inf; the first at checkpoint_step 0, coefficient 1.0, component L0H0: -65520.0. Nothing was stored; use --precision f32 or bf16, or --allow-nonfinite to store them as ±Inf"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: db), "a store the failed ingest made is removed")
        XCTAssertEqual(try CLI.run(["ingest", path, "--run", "r", "--precision", "f16", "--allow-nonfinite", "--db", db]).status, 0)
        XCTAssertEqual(try CLI.run(["ingest", path, "--run", "b", "--precision", "bf16", "--db", db]).status, 0)
        for (run, expected) in [("r", ["1.5", "inf", "-inf", "2.0"]), ("b", ["1.5", "70144.0", "-65536.0", "2.0"])] {
            let values = try CLI.run(["export", "values", "--run", run, "--format", "csv", "--no-headers", "--db", db])
            XCTAssertEqual(values.status, 0, values.stderr)
            XCTAssertEqual(values.stdout.split(separator: "\n").map { $0.split(separator: ",").last.map(String.init) ?? "" }, expected, values.stdout)
        }
    }

    /// schema/README.md's numpy block reads every matrix of a store as attrdb's export does.
    func testTheDocumentedNumpyReaderReadsEveryPrecision() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        for precision in ["f32", "f16", "bf16"] {
            XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", precision, "--precision", precision, "--db", db]).status, 0)
            try FileManager.default.createDirectory(atPath: folder.path(precision), withIntermediateDirectories: true)
            XCTAssertEqual(try CLI.run(["export", "values", "--run", precision, "--format", "npy", "-o", folder.path("\(precision)/values.npy"), "--db", db]).status, 0)
        }
        let readme = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("schema/README.md"), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```python\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let block = try XCTUnwrap(blocks.first { $0.contains("def matrix(") }, "schema/README.md has no Python block defining matrix()")
        let output = try CLI.python(block + """

            import sys
            con = sqlite3.connect(sys.argv[1])
            for run in ('f32', 'f16', 'bf16'):
                mats = [matrix(blob, precision, nc, nk) for blob, precision, nc, nk in con.execute('''SELECT a.matrix, r.precision,
                        a.n_components, a.n_coefficients FROM attribution a JOIN checkpoint c USING (checkpoint_id)
                        JOIN run r USING (run_id) WHERE r.name = ? ORDER BY c.step''', (run,))]
                exported = np.load(sys.argv[2] + '/' + run + '/values.npy')
                assert exported.dtype == np.float32 and np.array_equal(np.stack(mats).transpose(0, 2, 1), exported, equal_nan=True), run
                print(run, len(mats))
            """, [db, folder.path("")])
        XCTAssertEqual(output, "f32 33\nf16 33\nbf16 33\n")
    }
}
