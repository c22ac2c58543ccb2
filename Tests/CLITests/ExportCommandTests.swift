import Foundation
import XCTest

/// Exports read back by numpy, pyarrow and DuckDB; plots parse; the report passes headless Chromium.
final class ExportCommandTests: XCTestCase {
    private func python(_ script: String, _ arguments: [String]) throws -> String {
        try CLI.python(script, arguments)
    }

    /// The example twice: "modadd", and a second run whose name needs quoting in a Hive path.
    private func store(_ folder: TemporaryFolder) throws -> String {
        try CLI.exampleStore(in: folder, runs: ["modadd", "second run=v2"])
    }

    func testValuesNpyIsBitForBitAndReingests() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        try FileManager.default.createDirectory(atPath: folder.path("out"), withIntermediateDirectories: true)
        let npy = folder.path("out/attributions.npy")
        let result = try CLI.run(["export", "values", "--run", "modadd", "-o", npy, "--db", db])
        XCTAssertEqual(result.status, 0, result.stderr)
        let check = try python("""
            import numpy as np, json, sys
            a = np.load(sys.argv[1]); b = np.load(sys.argv[2])
            x = json.load(open(sys.argv[3])); y = json.load(open(sys.argv[4]))
            print(a.dtype, a.shape, bool((a.view('u4') == b.view('u4')).all()), x['coefficients'] == y['coefficients'], x['checkpoint_steps'] == y['checkpoint_steps'])
            """, [npy, CLI.example.appendingPathComponent("attributions.npy").path, folder.path("out/axes.json"), CLI.example.appendingPathComponent("axes.json").path])
        XCTAssertEqual(check, "float32 (33, 128, 13) True True True\n")
        // The exported folder is a dataset folder: ingesting it again into the same run changes nothing.
        let again = try CLI.run(["ingest", folder.path("out"), "--run", "modadd", "--db", db])
        XCTAssertTrue(again.stderr.contains("nothing new"), again.stderr)
    }

    /// `export values` keeps what --coef, --layer and --kind select (it used to write the whole grid
    /// whatever they said); numpy's slicing of the example is the oracle.
    func testValuesExportKeepsTheSelectedCoefficientsAndComponents() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        try FileManager.default.createDirectory(atPath: folder.path("out"), withIntermediateDirectories: true)
        let npy = folder.path("out/attributions.npy"), csv = folder.path("v.csv")
        let selection = ["--run", "modadd", "--checkpoint", "2420:", "--coef", "-1:1", "--layer", "0", "--kind", "attn_head", "--db", db]
        XCTAssertEqual(try CLI.run(["export", "values", "-o", npy] + selection).status, 0)
        let text = try CLI.run(["export", "values", "-o", csv] + selection)
        XCTAssertEqual(text.status, 0, text.stderr)
        let check = try python("""
            import numpy as np, json, sys, csv
            full = np.load(sys.argv[2]); axes = json.load(open(sys.argv[3]))
            steps = np.array(axes['checkpoint_steps']); coefs = np.array(axes['coefficients'])
            comps = [i for i, c in enumerate(axes['components']) if c['layer'] == 0 and c['kind'] == 'attn_head']
            want = full[steps >= 2420][:, (coefs >= -1) & (coefs <= 1)][:, :, comps]
            got = np.load(sys.argv[1]); got_axes = json.load(open(sys.argv[4]))
            rows = list(csv.DictReader(open(sys.argv[5])))
            from_csv = np.array([np.float32(r['value']) for r in rows], dtype=np.float32).reshape(want.shape)
            print(got.shape, bool((got.view('u4') == want.view('u4')).all()), bool((from_csv.view('u4') == want.view('u4')).all()),
                  got_axes['coefficients'] == coefs[(coefs >= -1) & (coefs <= 1)].tolist(),
                  [c['label'] for c in got_axes['components']] == [axes['components'][i]['label'] for i in comps])
            """, [npy, CLI.example.appendingPathComponent("attributions.npy").path, CLI.example.appendingPathComponent("axes.json").path,
                  folder.path("out/axes.json"), csv])
        XCTAssertEqual(check, "(3, 12, 4) True True True True\n")
    }

    func testParquetExportsReadBackInPyarrowAndDuckDB() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        // The analyses are written by their own commands, with the same -o.
        let commands = [["export", "values", "--run", "modadd"], ["capacity", "--run", "modadd"], ["top", "--run", "modadd"],
                        ["concentration", "--run", "modadd"], ["runs"], ["export", "losses", "--run", "modadd"]]
        for arguments in commands {
            let table = arguments[arguments[0] == "export" ? 1 : 0]
            let file = folder.path("\(table).parquet"), csv = folder.path("\(table).csv")
            XCTAssertEqual(try CLI.run(arguments + ["-o", file, "--db", db]).status, 0, table)
            XCTAssertEqual(try CLI.run(arguments + ["-o", csv, "--db", db]).status, 0, table)
            let compare = try python("""
                import sys, csv, math, pyarrow.parquet as pq, duckdb
                rows = list(csv.reader(open(sys.argv[2])))
                header, body = rows[0], rows[1:]
                t = pq.read_table(sys.argv[1])
                d = duckdb.sql(f"SELECT * FROM read_parquet('{sys.argv[1]}')").fetchall()
                assert t.column_names == header, (t.column_names, header)
                assert t.num_rows == len(body) == len(d), (t.num_rows, len(body), len(d))
                cols = t.to_pydict()
                def same(a, b):
                    if a is None: return b == ''
                    if isinstance(a, float): return (math.isnan(a) and b == 'nan') or (b != '' and float(b) == a) or (b != '' and abs(float(b) - a) <= 1e-6 * abs(a))
                    return str(a) == b
                bad = sum(1 for i, row in enumerate(body) for j, name in enumerate(header) if not same(cols[name][i], row[j]) or not same(d[i][j], row[j]))
                print(bad)
                """, [file, csv])
            XCTAssertEqual(compare, "0\n", table)
        }
    }

    func testPartitionedParquetIsOneDataset() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let root = folder.path("dataset")
        let result = try CLI.run(["export", "values", "--run", "modadd", "--run", "second run=v2", "--format", "parquet",
                                  "--partition-by", "run,checkpoint_step", "-o", root, "--db", db])
        XCTAssertEqual(result.status, 0, result.stderr)
        let check = try python("""
            import sys, duckdb, pyarrow.dataset as ds
            d = duckdb.sql(f"SELECT run, count(*), count(DISTINCT checkpoint_step), sum(value::DOUBLE) FROM read_parquet('{sys.argv[1]}/**/*.parquet', hive_partitioning=true) GROUP BY run ORDER BY run").fetchall()
            t = ds.dataset(sys.argv[1], partitioning='hive').to_table()
            print(d[0][:3], d[1][:3], abs(d[0][3] - d[1][3]) < 1e-6, t.num_rows)
            """, [root])
        XCTAssertEqual(check, "('modadd', 54912, 33) ('second run=v2', 54912, 33) True 109824\n")
    }

    func testTextFormatsAndLatexCaption() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let latex = try CLI.run(["top", "--run", "modadd", "-k", "2", "--format", "latex", "--caption", "Top 2 (50%)", "--db", db])
        XCTAssertTrue(latex.stdout.contains("\\toprule") && latex.stdout.contains("\\caption{Top 2 (50\\%)}") && latex.stdout.contains("1\\_mlp\\_out"), latex.stdout)
        for (name, format) in [("t.md", "| checkpoint_step |"), ("t.json", "[\n{"), ("t.jsonl", "{\"checkpoint_step\""), ("t.tsv", "checkpoint_step\tlayer")] {
            XCTAssertEqual(try CLI.run(["capacity", "--run", "modadd", "-o", folder.path(name), "--db", db]).status, 0)
            XCTAssertTrue(try String(contentsOfFile: folder.path(name), encoding: .utf8).hasPrefix(format), name)
        }
        let npy = try CLI.run(["top", "--run", "modadd", "-o", folder.path("top.npy"), "--db", db])
        XCTAssertEqual(npy.status, 1)
        XCTAssertTrue(npy.stderr.contains("npy output takes numeric tables; column 'component' holds text"), npy.stderr)
    }

    func testPlotFlagsDrawOnATerminal() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        // `script` runs the command on a pseudo-terminal, as a person at a terminal would.
        for (command, expected) in [("capacity --run modadd --plot", "layer 1 │"), ("profile --run modadd --component L0H0 --plot", "L0H0  ▁")] {
            let (status, text) = try CLI.onTerminal("\(command) --db \(db)")
            XCTAssertEqual(status, 0, text)
            XCTAssertTrue(text.contains(expected), text)
        }
        // Into a pipe, --plot leaves the table as it is.
        XCTAssertTrue(try CLI.run(["capacity", "--run", "modadd", "--plot", "--db", db]).stdout.hasPrefix("checkpoint_step,layer,mass,share\n"))
    }

    func testPlotsAndReportRenderInHeadlessChromium() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        for kind in ["capacity", "shares", "profile", "clusters", "norms", "concentration", "training"] {
            let file = folder.path("\(kind).svg")
            let result = try CLI.run(["plot", kind, "--run", "modadd", "-o", file, "--db", db, "-k", "3"])
            XCTAssertEqual(result.status, 0, "\(kind): \(result.stderr)")
            XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
            // It renders: librsvg draws it to a PNG without complaint.
            let render = Process()
            render.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            render.arguments = ["rsvg-convert", file, "-o", folder.path("\(kind).png")]
            let errors = Pipe()
            render.standardError = errors
            try render.run()
            let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            render.waitUntilExit()
            XCTAssertEqual(render.terminationStatus, 0, "\(kind): \(complaint)")
            XCTAssertGreaterThan((try? FileManager.default.attributesOfItem(atPath: folder.path("\(kind).png"))[.size] as? Int) ?? 0, 1000, kind)
        }
        // --top-profiles: how many profiles are drawn one by one; the rest make the band.
        let three = folder.path("three.svg")
        XCTAssertEqual(try CLI.run(["plot", "profile", "--run", "modadd", "--top-profiles", "3", "-o", three, "--db", db]).status, 0)
        let drawn = try String(contentsOfFile: three, encoding: .utf8)
        XCTAssertEqual(drawn.components(separatedBy: "class=\"series\"").count - 1, 3)
        XCTAssertEqual(drawn.components(separatedBy: "class=\"band\"").count - 1, 1)
        XCTAssertTrue(drawn.contains("top 3 of 13 by Σ|value|"))
        let html = folder.path("report.html")
        XCTAssertEqual(try CLI.run(["report", "--run", "modadd", "-o", html, "--db", db, "--top-profiles", "5"]).status, 0)
        XCTAssertTrue(try String(contentsOfFile: html, encoding: .utf8).contains("top 5 of 13 by Σ|value|"))
        guard ProcessInfo.processInfo.environment["ATTRDB_SKIP_BROWSER"] == nil else { throw XCTSkip("ATTRDB_SKIP_BROWSER set") }
        let process = Process()
        process.executableURL = CLI.repositoryRoot.appendingPathComponent("scripts/check-report.sh")
        process.arguments = [html, folder.path("report.png")]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let log = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, log)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path("report.png")))
    }
}
