import XCTest
@testable import AttrDB

/// Hive-partitioned datasets written by `PartitionedParquetWriter`, read back by
/// `pyarrow.dataset` and DuckDB's `read_parquet(..., hive_partitioning=true)`.
final class PartitionedParquetWriterTests: XCTestCase {
    private let columns = [
        ParquetColumn("run", .string),
        ParquetColumn("id", .int64),
        ParquetColumn("step", .int64),
        ParquetColumn("component", .string),
        ParquetColumn("share", .double, nullable: true),
    ]
    private let runs = ["tl modadd=v2/seed 1", "plain", "100% done #1?", "ünïcödé \u{1F9E0} run"]

    /// Rows grouped by partition, as exports produce them, except that ("plain", 0) comes back at
    /// the end, after its file was closed.
    private func rows() -> [[Cell]] {
        var rows: [[Cell]] = []
        for run in runs {
            for step in [0, 4000] {
                for component in 0..<5 {
                    let share: Cell = component == 3 ? .null : .double(Double(component) / 4 + Double(step))
                    rows.append([.text(run), .int(rows.count), .int(step), .text("L0H\(component)"), share])
                }
            }
        }
        rows.append([.text("plain"), .int(rows.count), .int(0), .text("late"), .double(-1.5)])
        return rows
    }

    func testDatasetReadsBackWithPartitionColumnsByPyArrowAndDuckDB() throws {
        let scratch = try ParquetScratch()
        let root = scratch.path("export")
        let rows = rows()
        let dataset = try PartitionedParquetWriter(root: root, columns: columns, partitionBy: ["run", "step"],
                                                   maxOpenFiles: 2)
        for row in rows { try dataset.write(row) }
        try dataset.close()

        let relative = dataset.files.map { String($0.dropFirst(root.count + 1)) }
        XCTAssertEqual(relative, [
            "run=tl modadd%3Dv2%2Fseed 1/step=0/part-0.parquet",
            "run=tl modadd%3Dv2%2Fseed 1/step=4000/part-0.parquet",
            "run=plain/step=0/part-0.parquet",
            "run=plain/step=4000/part-0.parquet",
            "run=100%25 done %231%3F/step=0/part-0.parquet",
            "run=100%25 done %231%3F/step=4000/part-0.parquet",
            "run=ünïcödé \u{1F9E0} run/step=0/part-0.parquet",
            "run=ünïcödé \u{1F9E0} run/step=4000/part-0.parquet",
            "run=plain/step=0/part-1.parquet",
        ])
        for file in dataset.files { XCTAssertTrue(FileManager.default.fileExists(atPath: file), file) }

        let report = try ParquetReadBack.dataset(root, sortBy: "id", queries: [
            "SELECT count(*) FROM t WHERE run = 'tl modadd=v2/seed 1' AND step = 4000",
            "SELECT count(DISTINCT run) FROM t",
        ])
        let order = columns.map(\.name)
        let expected = ParquetReadBack.tags(rows, columns)
        XCTAssertEqual(Set(report.pyarrow.columns), Set(order))
        XCTAssertEqual(report.pyarrow.rows(columnOrder: order), expected)
        XCTAssertEqual(Set(report.duckdb.columns), Set(order))
        XCTAssertEqual(report.duckdb.rows(columnOrder: order), expected)
        XCTAssertEqual(report.queries, ["5", "4"])
    }

    func testEachFileLeavesOutThePartitionColumns() throws {
        let scratch = try ParquetScratch()
        let root = scratch.path("export")
        let dataset = try PartitionedParquetWriter(root: root, columns: columns, partitionBy: ["run"])
        try dataset.write([.text("a/b"), .int(0), .int(10), .text("L0H0"), .double(0.5)])
        try dataset.close()
        XCTAssertEqual(dataset.files, [root + "/run=a%2Fb/part-0.parquet"])
        let file = try ParquetReadBack.file(root + "/run=a%2Fb/part-0.parquet")
        XCTAssertEqual(file.pyarrow.columns, ["id", "step", "component", "share"])
        XCTAssertEqual(file.pyarrow.rows, [["i:0", "i:10", "s:L0H0", ParquetReadBack.doubleTag(0.5)]])
    }

    func testNullAndEmptyValuesGoToTheDefaultPartition() throws {
        let scratch = try ParquetScratch()
        let root = scratch.path("export")
        let columns = [ParquetColumn("run", .string, nullable: true), ParquetColumn("id", .int64)]
        let dataset = try PartitionedParquetWriter(root: root, columns: columns, partitionBy: ["run"])
        try dataset.write([.null, .int(0)])
        try dataset.write([.text("x"), .int(1)])
        try dataset.write([.text(""), .int(2)])
        try dataset.close()
        // The empty string shares the null's folder, and its file, which is still open.
        XCTAssertEqual(dataset.files, [root + "/run=__HIVE_DEFAULT_PARTITION__/part-0.parquet", root + "/run=x/part-0.parquet"])
        let report = try ParquetReadBack.dataset(root, sortBy: "id")
        XCTAssertEqual(report.pyarrow.rows(columnOrder: ["run", "id"]), [[nil, "i:0"], ["s:x", "i:1"], [nil, "i:2"]])
        XCTAssertEqual(report.duckdb.rows(columnOrder: ["run", "id"]), [[nil, "i:0"], ["s:x", "i:1"], [nil, "i:2"]])
    }

    func testNumbersNameTheirPartitionsExactly() {
        XCTAssertEqual(HivePartition.folder(column: "step", value: .int64(-4000)), "step=-4000")
        XCTAssertEqual(HivePartition.folder(column: "lr", value: .double(3e-4)), "lr=0.0003")
        XCTAssertEqual(HivePartition.folder(column: "lr", value: .double(0.1)), "lr=0.1")
        XCTAssertEqual(HivePartition.folder(column: "c", value: .float(0.1)), "c=0.1")
        XCTAssertEqual(HivePartition.folder(column: "x", value: .double(.nan)), "x=nan")
        XCTAssertEqual(HivePartition.folder(column: "a=b", value: .int64(1)), "a%3Db=1")
    }

    func testEscapingFollowsHive() {
        XCTAssertEqual(HivePartition.escape("plain text, with spaces & ünï \u{1F9E0}"), "plain text, with spaces & ünï \u{1F9E0}")
        XCTAssertEqual(HivePartition.escape("a/b=c%d"), "a%2Fb%3Dc%25d")
        XCTAssertEqual(HivePartition.escape("\"#'*:?\\{[]^"), "%22%23%27%2A%3A%3F%5C%7B%5B%5D%5E")
        XCTAssertEqual(HivePartition.escape("tab\tnew\nline\u{7F}\u{1}"), "tab%09new%0Aline%7F%01")
        XCTAssertEqual(HivePartition.escape("}<>|"), "}<>|")
    }

    func testRowsAndColumnsThatCannotBePartitioned() throws {
        let scratch = try ParquetScratch()
        let root = scratch.path("export")
        XCTAssertThrowsError(try PartitionedParquetWriter(root: root, columns: columns, partitionBy: ["seed"])) {
            XCTAssertEqual($0 as? ParquetError,
                           .invalidSchema("no column 'seed' to partition by (columns: run, id, step, component, share)"))
        }
        XCTAssertThrowsError(try PartitionedParquetWriter(root: root, columns: [ParquetColumn("run", .string)],
                                                          partitionBy: ["run"])) {
            XCTAssertEqual($0 as? ParquetError,
                           .invalidSchema("every column is a partition column; the files need at least one other"))
        }
        XCTAssertThrowsError(try PartitionedParquetWriter(root: root, columns: columns, partitionBy: ["run", "run"]))

        let dataset = try PartitionedParquetWriter(root: root, columns: columns, partitionBy: ["run"])
        try dataset.write([.text("a"), .int(0), .int(0), .text("x"), .null])
        XCTAssertThrowsError(try dataset.write([.text("b"), .text("one"), .int(0), .text("x"), .null])) {
            XCTAssertEqual($0 as? ParquetError, .typeMismatch(row: 1, column: "id", type: .int64, found: .text("one")))
        }
        XCTAssertThrowsError(try dataset.write([.null, .int(1), .int(0), .text("x"), .null])) {
            XCTAssertEqual($0 as? ParquetError, .nullInRequiredColumn(row: 1, column: "run"))
        }
        XCTAssertThrowsError(try dataset.write([.text("b")])) {
            XCTAssertEqual($0 as? ParquetError, .rowWidth(row: 1, expected: 5, found: 1))
        }
        try dataset.close()
        // The refused rows began no partition.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root), ["run=a"])
        XCTAssertThrowsError(try dataset.write([.text("a"), .int(0), .int(0), .text("x"), .null])) {
            XCTAssertEqual($0 as? ParquetError, .closed(path: root))
        }
        // A folder with files in it is refused: readers would mix the old files in.
        XCTAssertThrowsError(try PartitionedParquetWriter(root: root, columns: columns, partitionBy: ["run"])) {
            XCTAssertEqual($0 as? OutputFileError, .exists(path: root, why: "has files in it; readers of the dataset would mix them in"))
        }
    }

    func testWithoutPartitionColumnsTheDatasetIsOneFile() throws {
        let scratch = try ParquetScratch()
        let root = scratch.path("export")
        let dataset = try PartitionedParquetWriter(root: root, columns: columns, partitionBy: [])
        for row in rows() { try dataset.write(row) }
        try dataset.close()
        XCTAssertEqual(dataset.files, [root + "/part-0.parquet"])
        XCTAssertEqual(dataset.rowCount, rows().count)
    }
}
