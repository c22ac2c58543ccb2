import Foundation
import XCTest

/// `attrdb ingest - --format frames` fed by a Python (numpy) writer, as the recorder feeds it.
final class FrameStreamCommandTests: XCTestCase {
    /// The frame writer the tests' Python scripts share: `frames(header, checkpoints, stats=..., end=...)`
    /// returns the stream's bytes. numpy `.tobytes()` of the (coefficient, component) float32 matrix.
    static let writer = """
        import json, struct, sys
        import numpy as np
        def frame(kind, payload):
            return kind + bytes(7) + struct.pack('<Q', len(payload)) + payload
        def js(kind, obj):
            return frame(kind, json.dumps(obj).encode())
        def checkpoint(step, values):
            return frame(b'C', struct.pack('<q', step) + np.ascontiguousarray(values, dtype='<f4').tobytes())
        def data(seed=0, steps=(0, 10, 20), n=5, m=4):
            rng = np.random.default_rng(seed)
            values = rng.standard_normal((len(steps), n, m)).astype('<f4')
            # Bit patterns a text round trip would lose: -0, a subnormal, the largest float32.
            values[0, 0, :3] = [-0.0, np.float32(1e-45), np.finfo(np.float32).max]
            return list(steps), values
        COMPONENTS = ['L0H0', 'L0H1', '0_mlp_out', 'embed']
        COEFFICIENTS = [-1.0, -0.5, 0.0, 0.5, 1.0]
        def stream(run='r', steps=None, values=None, end=True, stats=True):
            if steps is None: steps, values = data()
            out = b'ATTRDB\\x00\\x01' + js(b'H', {'run': run, 'metric': 'logit_diff', 'coefficients': COEFFICIENTS,
                                                'components': COMPONENTS, 'model': '2L', 'task': 'modadd',
                                                'config': {'model': '2L', 'task': 'modadd'}})
            for i, step in enumerate(steps):
                out += checkpoint(step, values[i])
                if stats:
                    out += js(b'S', {'step': step, 'values': {'train_loss': 1.0 / (i + 1), 'test_acc': 0.5}})
                    out += js(b'R', {'step': step, 'norms': [{'layer': 0, 'hook': 'resid_pre', 'norm': 2.0 + i}, {'layer': 0, 'hook': 'resid_post', 'norm': 3.0 + i}]})
                    out += js(b'W', {'step': step, 'norms': [[1.0 + i, 2.0 + i]]})
            if end: out += js(b'E', {'complete': True})
            return out

        """

    /// Runs attrdb with standard input read from the file `input`.
    func run(_ arguments: [String], stdinFile input: String) throws -> CLI.Result {
        try CLI.run(["-c", "exec \"$0\" \"$@\" < \"$ATTRDB_TEST_INPUT\"", CLI.binary.path] + arguments,
                    environment: ["ATTRDB_TEST_INPUT": input], executable: URL(fileURLWithPath: "/bin/sh"))
    }

    /// Writes the bytes of the Python expression `expression` (the writer above in scope) to `path`.
    func writeStream(_ path: String, _ expression: String) throws {
        _ = try CLI.python(FrameStreamCommandTests.writer + "open(sys.argv[1], 'wb').write(\(expression))\n", [path])
    }

    func testAStreamFromPythonRoundTripsBitExactAndPassesCheck() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite"), input = folder.path("s.frames")
        try writeStream(input, "stream()")
        let ingest = try run(["ingest", "-", "--format", "frames", "--db", db], stdinFile: input)
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertEqual(ingest.stdout, String(repeating: "ok\n", count: 1 + 3 * 4 + 1), "one ok per frame")
        XCTAssertEqual(try CLI.run(["check", "--db", db]).status, 0)
        XCTAssertTrue(try CLI.run(["runs", "--db", db, "--format", "csv"]).stdout.contains(",complete,"))
        let exported = folder.path("out")
        try FileManager.default.createDirectory(atPath: exported, withIntermediateDirectories: true)
        let export = try CLI.run(["export", "values", "--run", "r", "--db", db, "-o", exported + "/values.npy"])
        XCTAssertEqual(export.status, 0, export.stderr)
        let verdict = try CLI.python(FrameStreamCommandTests.writer + """
            steps, values = data()
            back = np.load(sys.argv[1])
            print(back.dtype == np.float32 and back.shape == values.shape and (back.view('<u4') == values.view('<u4')).all())
            """, [exported + "/values.npy"])
        XCTAssertEqual(verdict, "True\n", "the exported array is the streamed one, bit for bit")
    }

    func testAStreamStoresWhatTheSameDataIngestedAsAFolderStores() throws {
        let folder = try TemporaryFolder()
        let input = folder.path("s.frames"), dataset = folder.path("dataset")
        try writeStream(input, "stream()")
        _ = try CLI.python(FrameStreamCommandTests.writer + """
            import os
            out = sys.argv[1]; os.makedirs(out)
            steps, values = data()
            np.save(os.path.join(out, 'attributions.npy'), values)
            json.dump({'checkpoint_steps': steps, 'coefficients': COEFFICIENTS, 'components': COMPONENTS, 'metric': 'logit_diff',
                       'metadata': {'model': '2L', 'task': 'modadd'}}, open(os.path.join(out, 'axes.json'), 'w'))
            with open(os.path.join(out, 'losses.csv'), 'w') as f:
                f.write('checkpoint_step,train_loss,test_acc\\n')
                for i, s in enumerate(steps): f.write(f'{s},{1.0 / (i + 1)!r},0.5\\n')
            with open(os.path.join(out, 'resid_norms.csv'), 'w') as f:
                f.write('checkpoint_step,layer,hook,norm\\n')
                for i, s in enumerate(steps): f.write(f'{s},0,resid_pre,{2.0 + i}\\n{s},0,resid_post,{3.0 + i}\\n')
            with open(os.path.join(out, 'wov_norms.csv'), 'w') as f:
                f.write('checkpoint_step,layer,head,frobenius_norm\\n')
                for i, s in enumerate(steps): f.write(f'{s},0,0,{1.0 + i}\\n{s},0,1,{2.0 + i}\\n')
            """, [dataset])
        let streamed = folder.path("streamed.sqlite"), ingested = folder.path("ingested.sqlite")
        XCTAssertEqual(try run(["ingest", "-", "--format", "frames", "--db", streamed], stdinFile: input).status, 0)
        let fromFolder = try CLI.run(["ingest", dataset, "--run", "r", "--db", ingested])
        XCTAssertEqual(fromFolder.status, 0, fromFolder.stderr)
        // Every table, row for row, but the run's creation time.
        let dump = """
            import sqlite3, sys
            con = sqlite3.connect(sys.argv[1])
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            for t in tables:
                cols = [r[1] for r in con.execute(f'PRAGMA table_info({t})') if r[1] != 'created_at']
                rows = sorted(con.execute(f'SELECT {", ".join(cols)} FROM {t}').fetchall(), key=repr)
                print(t, len(rows), rows)
            """
        let a = try CLI.python(dump, [streamed]), b = try CLI.python(dump, [ingested])
        XCTAssertTrue(a.contains("resid_norm 6") && a.contains("wov_norm 6") && a.contains("checkpoint_stat 6") && a.contains("attribution 3"), a)
        XCTAssertEqual(a, b)
    }

    func testEndOfInputWithoutAnEndFrameKeepsTheFramesAndTheRunIncomplete() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite"), input = folder.path("s.frames")
        try writeStream(input, "stream(end=False, stats=False)")
        let result = try run(["ingest", "-", "--format", "frames", "--db", db], stdinFile: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, "ok\nok\nok\nok\n")
        let runs = try CLI.run(["runs", "--db", db, "--format", "csv", "--no-headers"]).stdout
        XCTAssertTrue(runs.hasPrefix("r,2L,modadd,3,4,60,") && runs.hasSuffix(",incomplete,\n"), runs)
    }

    func testAConflictExitsFourAndKeepsTheFramesBefore() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite"), input = folder.path("s.frames")
        // Steps 0 and 10, then step 10 again with other values.
        try writeStream(input, "stream(steps=[0, 10, 10], values=data()[1], stats=False)")
        let result = try run(["ingest", "-", "--format", "frames", "--db", db], stdinFile: input)
        XCTAssertEqual(result.status, 4)
        XCTAssertEqual(result.stdout, "ok\nok\nok\n")
        XCTAssertTrue(result.stderr.hasPrefix("attrdb: -: frame 3 (C) at byte "), result.stderr)
        XCTAssertTrue(result.stderr.contains(": checkpoint 10 of r/default/logit_diff is already stored with different values"), result.stderr)
        let runs = try CLI.run(["runs", "--db", db, "--format", "csv", "--no-headers"]).stdout
        XCTAssertTrue(runs.hasPrefix("r,2L,modadd,2,4,40,"), runs)
        XCTAssertEqual(try CLI.run(["check", "--db", db]).status, 0)
    }

    func testNaNIsRefusedWithTheFrameAndBadMagicLeavesNoStore() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite"), input = folder.path("s.frames")
        try writeStream(input, "stream(steps=[0, 10], values=np.where(np.arange(40).reshape(2, 5, 4) == 21, np.nan, 1.0), stats=False)")
        let nan = try run(["ingest", "-", "--format", "frames", "--db", db], stdinFile: input)
        XCTAssertEqual(nan.status, 1)
        XCTAssertEqual(nan.stdout, "ok\nok\n")
        XCTAssertTrue(nan.stderr.hasPrefix("attrdb: -: frame 2 (C) at byte "), nan.stderr)
        XCTAssertTrue(nan.stderr.contains("1 non-finite values (NaN or ±Inf); the first at checkpoint_step 10, coefficient -1.0, component L0H1"), nan.stderr)
        try writeStream(input, "b'ATTRDB\\x00\\x02' + stream()[8:]")
        let other = folder.path("other.sqlite")
        let version = try run(["ingest", "-", "--format", "frames", "--db", other], stdinFile: input)
        XCTAssertEqual(version.status, 1)
        XCTAssertEqual(version.stderr, "attrdb: -: byte 7: expected format version 1 (0x01), found version 2; this attrdb reads version 1\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: other))
    }

    func testTheCommandLineMustAgreeWithTheHeader() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite"), input = folder.path("s.frames")
        try writeStream(input, "stream()")
        let mismatch = try run(["ingest", "-", "--format", "frames", "--run", "other", "--db", db], stdinFile: input)
        XCTAssertEqual(mismatch.status, 1)
        XCTAssertEqual(mismatch.stderr, "attrdb: -: frame 0 (H) at byte 8: expected --run 'other', as the command line says, found 'r' in the header\n")
        let complete = try run(["ingest", "-", "--format", "frames", "--complete", "--db", db], stdinFile: input)
        XCTAssertEqual(complete.status, 64)
        let matching = try run(["ingest", "-", "--format", "frames", "--run", "r", "--db", db], stdinFile: input)
        XCTAssertEqual(matching.status, 0, matching.stderr)
    }

    /// docs/stream-format.md's minimal writer, run as printed there with this attrdb first on PATH.
    func testTheDocumentedPythonWriterStoresItsRun() throws {
        let folder = try TemporaryFolder()
        let docs = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("docs/stream-format.md"), encoding: .utf8)
        let script = try XCTUnwrap(docs.components(separatedBy: "```python\n").dropFirst().first?.components(separatedBy: "```").first)
        let result = try CLI.run(["-c", "import os, sys; os.chdir(sys.argv[1]); os.environ['PATH'] = sys.argv[2] + ':' + os.environ['PATH']; exec(sys.argv[3])",
                                  folder.url.path, CLI.binary.deletingLastPathComponent().path, script],
                                 executable: URL(fileURLWithPath: "/usr/bin/env"), prefix: [Python.command])
        if result.stderr.contains("No module named") { throw XCTSkip(result.stderr) }
        XCTAssertEqual(result.status, 0, result.stderr)
        let runs = try CLI.run(["runs", "--db", folder.path("attrdb.sqlite"), "--format", "csv", "--no-headers"]).stdout
        XCTAssertTrue(runs.hasPrefix("demo,2L-128d,,3,4,60,") && runs.hasSuffix(",complete,seed=0\n"), runs)
    }

    /// A reader between (and during) the frames of a stream sees whole checkpoints only: while a
    /// frame is half sent, the store holds exactly the checkpoints acknowledged before it. And a
    /// writer with no busy timeout at all is not blocked by the stream waiting for its writer.
    func testAReaderDuringASlowStreamSeesWholeCheckpointsOnly() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let output = try CLI.python(FrameStreamCommandTests.writer + """
            import subprocess, time
            attrdb, db = sys.argv[1], sys.argv[2]
            steps, values = data(steps=list(range(0, 60, 10)))
            proc = subprocess.Popen([attrdb, '--db', db, 'ingest', '-', '--format', 'frames'], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            def send(data):
                proc.stdin.write(data); proc.stdin.flush()
            def values_stored():
                out = subprocess.run([attrdb, '--db', db, 'runs', '--format', 'csv', '--no-headers'], capture_output=True, check=True).stdout
                return int(out.decode().split(',')[5])
            whole = stream(steps=steps, values=values, end=False, stats=False)
            header_end = 8 + 16 + struct.unpack('<Q', whole[16:24])[0]
            send(whole[:header_end]); assert proc.stdout.readline() == b'ok\\n'
            seen = []
            for i, step in enumerate(steps):
                c = checkpoint(step, values[i])
                send(c[:len(c) // 2]); time.sleep(0.05)
                seen.append(values_stored())            # mid-frame: only the checkpoints before it
                # No write lock is held while the stream waits: another writer goes through at once.
                subprocess.run([attrdb, '--db', db, '--busy-timeout', '0', 'tag', 'r', f'seen={i}'], check=True, capture_output=True)
                send(c[len(c) // 2:]); assert proc.stdout.readline() == b'ok\\n'
                seen.append(values_stored())            # acknowledged: this one too
            proc.stdin.close(); proc.wait()
            print(seen)
            """, [CLI.binary.path, db])
        let perCheckpoint = 5 * 4
        XCTAssertEqual(output, "\((0..<6).flatMap { [$0 * perCheckpoint, ($0 + 1) * perCheckpoint] })\n")
    }
}
