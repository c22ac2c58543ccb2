import Foundation
import XCTest

/// One output pipeline: every command that prints a table writes every format with `-o`, read back
/// by pyarrow, DuckDB and numpy; binary formats never go to a terminal; one selection means the
/// same in every command, plot and export.
final class OutputPipelineCommandTests: XCTestCase {
    /// The example twice: "modadd", and a second run whose name needs quoting in a Hive path.
    private func store(_ folder: TemporaryFolder) throws -> String {
        try CLI.exampleStore(in: folder, runs: ["modadd", "second run=v2"])
    }

    /// A column no row fills (rank_change at the first checkpoint) keeps its declared type in
    /// Parquet, as it has with rows, instead of falling back to text.
    func testAnEmptyColumnKeepsItsDeclaredParquetType() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let file = folder.path("top.parquet")
        let result = try CLI.run(["top", "--run", "modadd", "--run", "second run=v2", "--checkpoint", "first", "-o", file, "--db", db])
        XCTAssertEqual(result.status, 0, result.stderr)
        let schema = try CLI.python("""
            import sys, pyarrow.parquet as pq
            t = pq.read_table(sys.argv[1])
            print(t.schema.field('run').type, t.schema.field('rank_change').type, t.column('rank_change').null_count == t.num_rows > 0)
            """, [file])
        XCTAssertEqual(schema, "string int64 True\n")
    }

    /// Every table command, written as Parquet and as CSV: pyarrow and DuckDB read the Parquet file
    /// back as the same table, cell for cell.
    func testEveryTableCommandWritesParquetThatPyarrowAndDuckDBReadAsItsCSV() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let commands: [(name: String, arguments: [String])] = [
            ("runs", ["runs"]),
            ("show", ["show", "modadd"]),
            ("capacity", ["capacity", "--run", "modadd", "--by", "component"]),
            ("capacity-wide", ["capacity", "--run", "modadd", "--wide"]),
            ("top", ["top", "--run", "modadd", "--run", "second run=v2", "-k", "3"]),
            ("profile", ["profile", "--run", "modadd", "--component", "L0H0", "--component", "1_mlp_out"]),
            ("summary", ["profile", "--run", "modadd", "--component", "L0H0", "--summary"]),
            ("clusters", ["clusters", "--run", "modadd", "-k", "3"]),
            ("turnover", ["turnover", "--run", "modadd", "--cutoff", "0.05"]),
            ("concentration", ["concentration", "--run", "modadd"]),
            ("norms", ["norms", "--run", "modadd", "--wide"]),
            ("wov", ["norms", "--run", "modadd", "--wov"]),
            ("compare", ["compare", "--run", "modadd", "--run", "second run=v2"]),
            ("sql", ["sql", "SELECT step, tokens_seen FROM checkpoint ORDER BY step"]),
            ("values", ["export", "values", "--run", "modadd", "--checkpoint", "last"]),
            ("losses", ["export", "losses", "--run", "modadd"]),
            ("components", ["export", "components", "--run", "modadd"]),
            ("checkpoints", ["export", "checkpoints", "--run", "modadd"]),
        ]
        for (name, arguments) in commands {
            let parquet = folder.path("\(name).parquet"), csv = folder.path("\(name).csv")
            for file in [parquet, csv] {
                let result = try CLI.run(arguments + ["-o", file, "--db", db])
                XCTAssertEqual(result.status, 0, "\(name): \(result.stderr)")
                XCTAssertEqual(result.stdout, "", name)
            }
            let compare = try CLI.python("""
                import sys, csv, math, pyarrow.parquet as pq, duckdb
                rows = list(csv.reader(open(sys.argv[2])))
                header, body = rows[0], rows[1:]
                t = pq.read_table(sys.argv[1])
                d = duckdb.sql(f"SELECT * FROM read_parquet('{sys.argv[1]}')").fetchall()
                assert t.column_names == header, (t.column_names, header)
                assert t.num_rows == len(body) == len(d) > 0, (t.num_rows, len(body), len(d))
                cols = t.to_pydict()
                def same(a, b):
                    if a is None: return b == ''
                    if isinstance(a, float): return (math.isnan(a) and b == 'nan') or (b != '' and float(b) == a) or (b != '' and abs(float(b) - a) <= 1e-6 * abs(a))
                    return str(a) == b
                print(sum(1 for i, row in enumerate(body) for j, name in enumerate(header) if not same(cols[name][i], row[j]) or not same(d[i][j], row[j])))
                """, [parquet, csv])
            XCTAssertEqual(compare, "0\n", name)
        }
    }

    /// Numeric tables as npy: numpy reads a [rows, columns] float64 array equal to the CSV.
    func testNumericTablesWriteNpyThatNumpyReadsAsTheirCSV() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        for (name, arguments) in [("capacity", ["capacity", "--run", "modadd"]), ("concentration", ["concentration", "--run", "modadd"]),
                                  ("norms", ["norms", "--run", "modadd", "--checkpoint", "every:4"]), ("losses", ["export", "losses", "--run", "modadd"])] {
            let npy = folder.path("\(name).npy"), csv = folder.path("\(name).csv")
            XCTAssertEqual(try CLI.run(arguments + ["-o", npy, "--db", db]).status, 0, name)
            XCTAssertEqual(try CLI.run(arguments + ["-o", csv, "--db", db]).status, 0, name)
            let check = try CLI.python("""
                import sys, numpy as np
                a = np.load(sys.argv[1])
                b = np.genfromtxt(sys.argv[2], delimiter=',', skip_header=1, filling_values=np.nan)
                print(a.dtype, a.shape == b.shape, bool(np.array_equal(a, b, equal_nan=True)))
                """, [npy, csv])
            XCTAssertEqual(check, "float64 True True\n", name)
        }
        let text = try CLI.run(["top", "--run", "modadd", "-o", folder.path("top.npy"), "--db", db])
        XCTAssertEqual(text.status, 1)
        XCTAssertEqual(text.stderr, "attrdb: npy output takes numeric tables; column 'component' holds text (use csv, json or parquet)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("top.npy")))
    }

    /// npy and parquet are bytes for programs: to a terminal they are a usage error that says to
    /// give -o, and parquet (written by seeking back into a file) needs -o even into a pipe.
    func testBinaryFormatsAreRefusedOnATerminalAndParquetNeedsAFile() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        for format in ["npy", "parquet"] {
            let (status, text) = try CLI.onTerminal("capacity --run modadd --format \(format) --db \(db)")
            XCTAssertEqual(status, 64, text)
            XCTAssertTrue(text.contains("give -o FILE"), text)
        }
        let parquet = try CLI.run(["top", "--run", "modadd", "--format", "parquet", "--db", db])
        XCTAssertEqual(parquet.status, 64)
        XCTAssertTrue(parquet.stderr.contains("parquet is written to a file: give -o FILE"), parquet.stderr)
        // Into a pipe, npy is a stream numpy reads.
        let piped = try CLI.run(["-c", "\"$0\" concentration --run modadd --format npy --db \"$1\" | python3 -c 'import sys, io, numpy as np; print(np.load(io.BytesIO(sys.stdin.buffer.read())).shape)'",
                                 CLI.binary.path, db], executable: URL(fileURLWithPath: "/bin/sh"))
        XCTAssertEqual(piped.stdout, "(33, 5)\n", piped.stderr)
        for (arguments, reason) in [(["--partition-by", "run", "--format", "csv", "-o", folder.path("p")], "--partition-by writes Parquet, not csv"),
                                    (["--partition-by", "run", "--format", "parquet"], "--partition-by needs -o FOLDER")] {
            let result = try CLI.run(["capacity", "--run", "modadd", "--db", db] + arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(reason), result.stderr)
        }
    }

    /// `--partition-by` on a query command: one Hive-style dataset, the run a partition column even
    /// for one run, refused over a folder with files in it unless --force.
    func testQueryCommandsWritePartitionedParquet() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let root = folder.path("capacity")
        let arguments = ["capacity", "--run", "modadd", "--run", "second run=v2", "--partition-by", "run", "--format", "parquet", "-o", root, "--db", db]
        XCTAssertEqual(try CLI.run(arguments).status, 0)
        let check = try CLI.python("""
            import sys, duckdb
            print(duckdb.sql(f"SELECT run, count(*), count(DISTINCT checkpoint_step), round(sum(share), 6) FROM read_parquet('{sys.argv[1]}/**/*.parquet', hive_partitioning=true) GROUP BY run ORDER BY run").fetchall())
            """, [root])
        XCTAssertEqual(check, "[('modadd', 132, 33, 33.0), ('second run=v2', 132, 33, 33.0)]\n")
        let again = try CLI.run(arguments)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("--force"), again.stderr)
        XCTAssertEqual(try CLI.run(arguments + ["--force"]).status, 0)
        let one = folder.path("one")
        XCTAssertEqual(try CLI.run(["top", "--run", "modadd", "--partition-by", "run,checkpoint_step", "--format", "parquet", "-o", one, "--db", db]).status, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: one), ["run=modadd"])
    }

    /// The points of `plot norms` are the rows of `norms` for the same --checkpoint (the plot used
    /// to turn the selection into the range between its first and last step: 33 points for every:4).
    func testPlotNormsDrawsTheCheckpointsNormsPrints() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        for selection in ["every:4", "every:8", "100:2000", "all"] {
            let rows = try CLI.run(["norms", "--run", "modadd", "--checkpoint", selection, "--format", "csv", "--no-headers", "--db", db])
            XCTAssertEqual(rows.status, 0, rows.stderr)
            let svg = folder.path("norms.svg")
            let plot = try CLI.run(["plot", "norms", "--run", "modadd", "--checkpoint", selection, "-o", svg, "--db", db])
            XCTAssertEqual(plot.status, 0, plot.stderr)
            let text = try String(contentsOfFile: svg, encoding: .utf8)
            // The one data line: the path of class "series".
            let line = text.components(separatedBy: "<path d=\"").dropFirst().first { $0.contains("class=\"series\"") }
            let points = line.map { $0.prefix { $0 != "\"" }.split(separator: " ").count } ?? 0
            XCTAssertEqual(points, rows.stdout.split(separator: "\n").count, selection)
        }
    }

    /// `export losses --checkpoint every:8` keeps every 8th step of the run's losses and the last,
    /// as every query applies every:N (it used to write all 33).
    func testExportLossesHonoursTheCheckpointSelection() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let exported = try CLI.run(["export", "losses", "--run", "modadd", "--checkpoint", "every:8", "--format", "csv", "--db", db])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let expected = try CLI.python("""
            import sys, csv
            steps = sorted(int(r['checkpoint_step']) for r in csv.DictReader(open(sys.argv[1])))
            keep = steps[::8] + ([steps[-1]] if (len(steps) - 1) % 8 else [])
            print(','.join(map(str, keep)))
            """, [CLI.example.appendingPathComponent("losses.csv").path])
        let steps = exported.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }.joined(separator: ",")
        XCTAssertEqual(steps + "\n", expected)
        XCTAssertEqual(exported.stdout.split(separator: "\n").count, 6)
        let range = try CLI.run(["export", "checkpoints", "--run", "modadd", "--checkpoint", "2000:", "--format", "csv", "--no-headers", "--db", db])
        XCTAssertEqual(range.stdout.split(separator: "\n").map { $0.split(separator: ",")[0] }, ["2420", "3111", "4000"])
        for (arguments, reason) in [(["export", "losses", "--coef", "0"], "export losses reads no attribution values: --coef does not apply"),
                                    (["export", "components", "--checkpoint", "last"], "export components has no row per checkpoint"),
                                    (["norms", "--layer", "0"], "norms reads no attribution values: --layer does not apply"),
                                    (["export", "capacity"], "export capacity is gone: every query command writes any format with -o, e.g. attrdb capacity --run NAME -o capacity.parquet")] {
            let result = try CLI.run(arguments + ["--run", "modadd", "--db", db])
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(reason), result.stderr)
        }
    }

    /// top's coefficient, when not given, is the one nearest 0, in top and in compare --what top alike.
    func testTopDefaultsToTheCoefficientNearestZero() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        for command in [["top", "--run", "modadd"], ["compare", "--what", "top", "--run", "modadd", "--run", "second run=v2"]] {
            let implicit = try CLI.run(command + ["--format", "csv", "--db", db])
            let explicit = try CLI.run(command + ["--coef", "0", "--format", "csv", "--db", db])
            let all = try CLI.run(command + ["--coef", "all", "--format", "csv", "--db", db])
            XCTAssertEqual(implicit.status, 0, implicit.stderr)
            XCTAssertEqual(implicit.stdout, explicit.stdout, "\(command)")
            XCTAssertNotEqual(implicit.stdout, all.stdout, "\(command)")
        }
    }

    /// --component selects in every query command as --layer and --kind do.
    func testComponentSelectsInEveryQuery() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let capacity = try CLI.run(["capacity", "--run", "modadd", "--by", "component", "--component", "L0H0", "--component", "1_mlp_out",
                                    "--checkpoint", "last", "--format", "csv", "--no-headers", "--db", db])
        XCTAssertEqual(capacity.stdout.split(separator: "\n").map { $0.split(separator: ",")[1] }, ["L0H0", "1_mlp_out"], capacity.stdout)
        let values = try CLI.run(["export", "values", "--run", "modadd", "--component", "L0H0", "--checkpoint", "last", "--format", "csv", "--no-headers", "--db", db])
        XCTAssertEqual(Set(values.stdout.split(separator: "\n").map { $0.split(separator: ",")[2] }), ["L0H0"])
        XCTAssertEqual(values.stdout.split(separator: "\n").count, 128)
    }

    /// The formats with a footer (json's closing bracket, latex's \end{tabular}) end once, for one
    /// run and for several, on standard output and in a file.
    func testValuesInFormatsWithAFooterEndOnce() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        for runs in [["--run", "modadd"], ["--run", "modadd", "--run", "second run=v2"]] {
            let arguments = ["export", "values"] + runs + ["--checkpoint", "last", "--layer", "0", "--coef", "0", "--db", db]
            let json = try CLI.run(arguments + ["--format", "json"])
            XCTAssertEqual(json.status, 0, json.stderr)
            let file = folder.path("v.json")
            XCTAssertEqual(try CLI.run(arguments + ["-o", file]).status, 0)
            let parsed = try CLI.python("import sys, json; print(len(json.loads(sys.argv[1])), len(json.load(open(sys.argv[2]))))", [json.stdout, file])
            // Layer 0 holds 5 components: 5 values per run.
            XCTAssertEqual(parsed, "\(5 * (runs.count / 2)) \(5 * (runs.count / 2))\n", "\(runs)")
            let latex = try CLI.run(arguments + ["--format", "latex"])
            XCTAssertEqual(latex.stdout.components(separatedBy: "\\end{tabular}").count, 2, latex.stdout)
        }
    }
}
