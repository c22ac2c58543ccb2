import XCTest
@testable import AttrDB

/// The one output pipeline: which format a command writes, what it refuses before computing, and
/// how several runs' tables are stacked.
final class TableOutputTests: XCTestCase {
    func testTheFormatIsTheOneGivenElseOutputsExtensionElseTheDefault() {
        XCTAssertEqual(TableOutput(format: nil, path: "a/capacity.parquet", isTerminal: true).format, .parquet)
        XCTAssertEqual(TableOutput(format: nil, path: "top.NPY", isTerminal: false).format, .npy)
        XCTAssertEqual(TableOutput(format: nil, path: "t.ndjson", isTerminal: false).format, .jsonl)
        XCTAssertEqual(TableOutput(format: nil, path: "t.tex", isTerminal: false).format, .latex)
        XCTAssertEqual(TableOutput(format: .tsv, path: "t.csv", isTerminal: false).format, .tsv)
        // A file with no known extension is CSV even when standard output is a terminal.
        XCTAssertEqual(TableOutput(format: nil, path: "t.txt", isTerminal: true).format, .csv)
        XCTAssertEqual(TableOutput(format: nil, path: nil, isTerminal: true).format, .table)
        XCTAssertEqual(TableOutput(format: nil, path: nil, isTerminal: false).format, .csv)
    }

    func testMisuseIsRefusedBeforeAnythingIsWritten() {
        func misuse(_ output: TableOutput) -> OutputMisuse? {
            do { try output.check(); return nil } catch { return error }
        }
        XCTAssertEqual(misuse(TableOutput(format: .npy, path: nil, isTerminal: true)), .binaryToTerminal(.npy))
        XCTAssertEqual(misuse(TableOutput(format: .parquet, path: nil, isTerminal: false)), .needsFile(.parquet))
        XCTAssertNil(misuse(TableOutput(format: .npy, path: nil, isTerminal: false)))
        var partitioned = TableOutput(format: .csv, path: "d", isTerminal: false)
        partitioned.partitionBy = ["run"]
        XCTAssertEqual(misuse(partitioned), .partitionNeedsParquet(.csv))
        partitioned = TableOutput(format: .parquet, path: nil, isTerminal: false)
        partitioned.partitionBy = ["run"]
        XCTAssertEqual(misuse(partitioned), .partitionNeedsFolder)
    }

    func testTheDigitsDefaultIsSixInTheFormatsPeopleReadAndExactElsewhere() throws {
        let folder = try TemporaryFolder()
        let table = ResultTable(columns: ["x"], rows: [[.double(1.0 / 3)]])
        for (name, expected) in [("t.md", "0.333333"), ("t.csv", "0.3333333333333333")] {
            try TableOutput(format: nil, path: folder.path(name), isTerminal: false).write(table)
            XCTAssertTrue(try String(contentsOfFile: folder.path(name), encoding: .utf8).contains(expected), name)
        }
        var output = TableOutput(format: nil, path: folder.path("d.md"), isTerminal: false)
        output.digits = 2
        try output.write(table)
        XCTAssertTrue(try String(contentsOfFile: folder.path("d.md"), encoding: .utf8).contains("| 0.33 |"))
    }

    func testSeveralRunsAreStackedUnderARunColumnAndOneRunIsLeftAsItIs() throws {
        let folder = try TemporaryFolder()
        let a = ResultTable(columns: ["step"], rows: [[.int(1)]]), b = ResultTable(columns: ["step"], rows: [[.int(2)]])
        try TableOutput(format: nil, path: folder.path("one.csv"), isTerminal: false).write(byRun: [("a", a)])
        try TableOutput(format: nil, path: folder.path("two.csv"), isTerminal: false).write(byRun: [("a", a), ("b", b)])
        XCTAssertEqual(try String(contentsOfFile: folder.path("one.csv"), encoding: .utf8), "step\n1\n")
        XCTAssertEqual(try String(contentsOfFile: folder.path("two.csv"), encoding: .utf8), "run,step\na,1\nb,2\n")
        // Partitioned by run, one run's table has the run column too: it names the folder.
        var partitioned = TableOutput(format: .parquet, path: folder.path("parts"), isTerminal: false)
        partitioned.partitionBy = ["run"]
        try partitioned.write(byRun: [("a", a)])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path("parts")), ["run=a"])
    }

    func testHeldRowsBecomeAnNpyArrayAndMixedColumnsBecomeTextInParquet() throws {
        let folder = try TemporaryFolder()
        let rows = try TableOutput(format: nil, path: folder.path("t.npy"), isTerminal: false).rows(columns: ["a", "b"])
        try rows.write([.int(1), .double(0.5)])
        try rows.write([.int(2), .null])
        try rows.finish()
        XCTAssertEqual(try python("import numpy as np, sys; a = np.load(sys.argv[1]); print(a.dtype, a.shape, a[0].tolist(), bool(np.isnan(a[1, 1])))",
                                  arguments: [folder.path("t.npy")]), "float64 (2, 2) [1.0, 0.5] True\n")
        let mixed = ResultTable(columns: ["key", "value"], rows: [[.text("model"), .text("gpt2")], [.text("layers"), .int(12)]])
        XCTAssertEqual(mixed.mixedColumnsAsText().rows[1], [.text("layers"), .text("12")])
        try TableOutput(format: nil, path: folder.path("t.parquet"), isTerminal: false).write(mixed)
        XCTAssertEqual(try python("import pyarrow.parquet as pq, sys; print(pq.read_table(sys.argv[1]).to_pydict())", arguments: [folder.path("t.parquet")]),
                       "{'key': ['model', 'layers'], 'value': ['gpt2', '12']}\n")
    }
}
