import XCTest
@testable import AttrDB

/// Dictionary encoding and ZSTD in the files `ParquetWriter` makes, read back by pyarrow and
/// DuckDB: which encoding each column gets, every dictionary index width, the fallback to PLAIN,
/// and the edge cases of values (nulls, empty strings, unicode, NaN, ±inf, signed zeros).
final class ParquetDictionaryTests: XCTestCase {
    private func write(_ rows: [[Cell]], columns: [ParquetColumn], rowGroupRows: Int = 131_072,
                       options: ParquetEncodingOptions = ParquetEncodingOptions(), in scratch: ParquetScratch,
                       name: String = "table.parquet") throws -> String {
        let path = scratch.path(name)
        let writer = try ParquetWriter(path: path, columns: columns, rowGroupRows: rowGroupRows, options: options)
        for row in rows { try writer.write(row) }
        try writer.close()
        return path
    }

    private func assertReadBack(_ file: ParquetReadBack.File, _ rows: [[Cell]], _ columns: [ParquetColumn],
                                file source: StaticString = #filePath, line: UInt = #line) {
        let expected = ParquetReadBack.tags(rows, columns)
        XCTAssertEqual(file.pyarrow.rows, expected, "pyarrow", file: source, line: line)
        XCTAssertEqual(file.duckdb.rows, expected, "DuckDB", file: source, line: line)
    }

    /// Rows like `export values`: steps and coefficients in runs, labels cycling, kinds mostly
    /// one value, and float32 values nearly all distinct.
    private func valuesRows(checkpoints: Int, coefficients: Int, components: Int, seed: UInt64 = 1) -> [[Cell]] {
        var generator = ParquetTestRandom(seed: seed)
        var rows: [[Cell]] = []
        for checkpoint in 0..<checkpoints {
            for coefficient in 0..<coefficients {
                for component in 0..<components {
                    let value = Float(Int64(bitPattern: generator.next()) >> 40) / 1024
                    rows.append([.int(checkpoint * 1000), .double(Double(coefficient) * 0.25 - 1), .text("L\(component % 4)N\(component)"),
                                 .int(component % 4), .text(component % 50 == 0 ? "bias" : "neuron"), .float(value)])
                }
            }
        }
        return rows
    }

    func testRepeatedColumnsGetADictionaryAndDistinctValuesStayPlain() throws {
        let scratch = try ParquetScratch()
        let columns = ValuesTable.parquetColumns
        let rows = valuesRows(checkpoints: 3, coefficients: 5, components: 200)
        let file = try ParquetReadBack.file(try write(rows, columns: columns, rowGroupRows: 1500, in: scratch))
        assertReadBack(file, rows, columns)
        XCTAssertEqual(file.rowGroups.count, 2)
        for (index, group) in file.rowGroups.enumerated() {
            XCTAssertEqual(group.columns.map(\.hasDictionaryPage), [true, true, true, true, true, false], "row group \(index)")
            XCTAssertEqual(group.columns.map { $0.encodings.contains("RLE_DICTIONARY") }, [true, true, true, true, true, false])
            XCTAssertEqual(group.columns.map(\.compression), Array(repeating: "ZSTD", count: 6))
        }
        // Statistics stay those of the values, whatever the encoding.
        XCTAssertEqual(file.rowGroups[1].columns[0].statistics, .init(hasMinMax: true, min: "i:1000", max: "i:2000", nullCount: 0))
        XCTAssertEqual(file.rowGroups[0].columns[2].statistics, .init(hasMinMax: true, min: "s:L0N0", max: "s:L3N99", nullCount: 0))
    }

    func testDictionaryKeepsNullsEmptyStringsUnicodeAndEveryFloatBitPattern() throws {
        let scratch = try ParquetScratch()
        let columns = [ParquetColumn("text", .string, nullable: true), ParquetColumn("x", .double, nullable: true),
                       ParquetColumn("f", .float), ParquetColumn("n", .int64, nullable: true)]
        // Composed and decomposed é are different bytes, so different entries; so are 0.0 and -0.0.
        let texts: [Cell] = [.text(""), .text("é"), .text("e\u{301}"), .text("🧠 neuron"), .null, .text("中文"), .text("a")]
        let doubles: [Cell] = [.double(0), .double(-0.0), .double(.nan), .double(.infinity), .double(-.infinity), .null,
                               .double(.greatestFiniteMagnitude), .double(.leastNonzeroMagnitude)]
        let floats: [Cell] = [.float(0), .float(-0.0), .float(.infinity), .float(-.infinity), .float(.leastNonzeroMagnitude)]
        let rows: [[Cell]] = (0..<400).map { i in
            [texts[(i / 3) % texts.count], doubles[(i / 5) % doubles.count], floats[i % floats.count],
             i % 11 == 0 ? .null : .int(Int.min + i % 3)]
        }
        var options = ParquetEncodingOptions()
        options.dataPageBytes = 16  // many pages, page ends inside runs and between nulls
        let file = try ParquetReadBack.file(try write(rows, columns: columns, options: options, in: scratch), queries: [
            "SELECT count(*) FROM t WHERE text = 'é'", "SELECT count(*) FROM t WHERE text = ''",
            "SELECT count(*) FROM t WHERE isnan(x)", "SELECT count(*) FROM t WHERE text IS NULL",
        ])
        XCTAssertEqual(file.rowGroups.first?.columns.map(\.hasDictionaryPage), [true, true, true, true])
        XCTAssertEqual(file.pyarrow.rows, ParquetReadBack.tags(rows, columns))
        // DuckDB may give a NaN its own payload; every other value must be exact.
        let expected = ParquetReadBack.tags(rows, columns)
        for (index, row) in rows.enumerated() where index < file.duckdb.rows.count {
            for column in row.indices where !(row[column].doubleValue?.isNaN ?? false) {
                XCTAssertEqual(file.duckdb.rows[index][column], expected[index][column], "DuckDB row \(index)")
            }
        }
        // By bytes: Swift's String equality would count "e\u{301}" as "é" too, and DuckDB does not.
        let count = { (cell: Cell, column: Int) in
            String(rows.filter { row in
                switch (row[column], cell) {
                case (.text(let a), .text(let b)): return a.utf8.elementsEqual(b.utf8)
                default: return row[column] == cell
                }
            }.count)
        }
        XCTAssertEqual(file.queries, [count(.text("é"), 0), count(.text(""), 0),
                                      String(rows.filter { $0[1].doubleValue?.isNaN ?? false }.count), count(.null, 0)])
        typealias S = ParquetReadBack.Statistics
        XCTAssertEqual(file.rowGroups.first?.columns[1].statistics,
                       S(hasMinMax: true, min: ParquetReadBack.doubleTag(-.infinity), max: ParquetReadBack.doubleTag(.infinity),
                         nullCount: Int(count(.null, 1))))
    }

    func testAnOverflowingDictionaryFallsBackToPlainForTheRestOfTheColumn() throws {
        let scratch = try ParquetScratch()
        let columns = [ParquetColumn("id", .string, nullable: true), ParquetColumn("group", .int64)]
        // 300 distinct ids of ~20 bytes overflow a 1 KiB dictionary part-way through the first row
        // group; nulls among them must survive the replay into PLAIN.
        let rows: [[Cell]] = (0..<600).map { i in
            [i % 7 == 3 ? .null : .text("component-\(i % 300)-é"), .int(i / 100)]
        }
        var options = ParquetEncodingOptions()
        options.dictionaryPageBytes = 1024
        options.dataPageBytes = 512
        let file = try ParquetReadBack.file(try write(rows, columns: columns, rowGroupRows: 250, options: options, in: scratch))
        assertReadBack(file, rows, columns)
        XCTAssertEqual(file.rowGroups.count, 3)
        for group in file.rowGroups {
            XCTAssertFalse(group.columns[0].hasDictionaryPage)
            XCTAssertFalse(group.columns[0].encodings.contains("RLE_DICTIONARY"))
            XCTAssertTrue(group.columns[1].hasDictionaryPage, "the other column keeps its dictionary")
        }
        XCTAssertEqual(file.rowGroups.map { $0.columns[0].statistics?.nullCount },
                       [36, 35, 15].map(Optional.some))
    }

    func testADictionaryOfNearlyAllDistinctValuesIsDroppedEarly() throws {
        let scratch = try ParquetScratch()
        let columns = [ParquetColumn("distinct", .double, nullable: true), ParquetColumn("few", .int64),
                       ParquetColumn("most", .string)]
        // After 100 values: "distinct" has 100 entries (dropped), "few" 7, "most" 90 of 100 (dropped,
        // at the 90 % line); later rows repeat "most" often, but the decision is taken by then.
        let rows: [[Cell]] = (0..<400).map { i in
            [i == 50 ? .null : .double(Double(i) * 0.5), .int(i % 7), .text(i < 100 ? "m\(i % 90)" : "m\(i % 3)")]
        }
        var options = ParquetEncodingOptions()
        options.dictionaryProbeValues = 100
        let file = try ParquetReadBack.file(try write(rows, columns: columns, rowGroupRows: 200, options: options, in: scratch))
        assertReadBack(file, rows, columns)
        XCTAssertEqual(file.rowGroups.map { $0.columns.map(\.hasDictionaryPage) }, [[false, true, false], [false, true, false]],
                       "dropped for the column's later chunks too")
    }

    func testWithTheDefaultBoundADictionaryPast1MiBFallsBack() throws {
        let scratch = try ParquetScratch()
        // 40 000 distinct 40-byte strings: 1.7 MB of dictionary, past 1 MiB within the row group.
        let ids = (0..<40_000).map { String(format: "%08d", $0) + String(repeating: "-", count: 32) }
        let repeated = (0..<40_000).map { "kind\($0 % 3)" }
        let result = try ParquetBulkCheck.writeAndCheck([("id", .string(ids)), ("kind", .string(repeated))],
                                                        path: scratch.path("overflow.parquet"))
        XCTAssertEqual(result.map(\.pyarrowEqual), [true, true])
        XCTAssertEqual(result.map(\.duckdbEqual), [true, true])
        XCTAssertEqual(result.map(\.dictionaryPages), [[false], [true]])
    }

    func testEveryIndexBitWidthFrom0To20ReadsBack() throws {
        let scratch = try ParquetScratch()
        for width in 0...20 {
            // 2^(width-1) + 1 entries need exactly `width` bits (one entry needs none).
            let entries = width == 0 ? 1 : (1 << (width - 1)) + 1
            var values = (0..<entries).map { Int64($0) * 7919 - 3 }  // each entry once, in index order
            // Then runs of 1 to 20 of scattered entries: RLE runs, literals, and both.
            for run in 0..<600 {
                values += Array(repeating: values[(run * 37) % entries], count: run % 20 + 1)
            }
            var options = ParquetEncodingOptions()
            options.alwaysDictionary = true
            options.dictionaryPageBytes = 8 << 20
            // Small pages, ending inside runs and literal groups.
            options.dataPageBytes = 4096 + width
            let result = try ParquetBulkCheck.writeAndCheck([("v", .int64(values))], path: scratch.path("width\(width).parquet"),
                                                            rowGroupRows: 1 << 21, options: options)
            XCTAssertEqual(result.first?.pyarrowEqual, true, "pyarrow, width \(width)")
            XCTAssertEqual(result.first?.duckdbEqual, true, "DuckDB, width \(width)")
            XCTAssertEqual(result.first?.dictionaryPages, [true], "width \(width)")
        }
    }

    func testASingleRowWithAndWithoutADictionary() throws {
        let scratch = try ParquetScratch()
        let columns = [ParquetColumn("n", .int64), ParquetColumn("s", .string, nullable: true),
                       ParquetColumn("x", .double, nullable: true), ParquetColumn("f", .float)]
        let rows: [[Cell]] = [[.int(-7), .text("only"), .null, .float(.nan)]]
        for always in [false, true] {
            var options = ParquetEncodingOptions()
            options.alwaysDictionary = always
            let file = try ParquetReadBack.file(try write(rows, columns: columns, options: options, in: scratch, name: "\(always).parquet"))
            XCTAssertEqual(file.pyarrow.rows, ParquetReadBack.tags(rows, columns))
            XCTAssertEqual(file.duckdb.rows.first?.prefix(3), ParquetReadBack.tags(rows, columns).first?.prefix(3))
            // An all-null chunk has nothing to put in a dictionary.
            XCTAssertEqual(file.rowGroups.first?.columns.map(\.hasDictionaryPage), [always, always, false, always])
        }
    }

    func testAMillionRowsReadBackExactlyAndNoLargerThanPyArrowWritesThem() throws {
        let scratch = try ParquetScratch()
        let count = 1_000_000
        var generator = ParquetTestRandom(seed: 99)
        // The layout of `export values`: checkpoint, then coefficient, then component.
        let steps = (0..<count).map { Int64($0 / 10_000) * 500 }
        let coefficients = (0..<count).map { Double(($0 / 800) % 128) / 8 - 8 }
        let labels = (0..<800).map { "L\($0 % 8)N\($0 / 8)" }
        let components = (0..<count).map { labels[$0 % 800] }
        let layers = (0..<count).map { Int64($0 % 8) }
        let kinds = (0..<count).map { $0 % 800 < 797 ? "neuron" : "bias" }
        let values = (0..<count).map { _ in Float(Int32(truncatingIfNeeded: generator.next()) >> 4) / 4096 }
        let path = scratch.path("million.parquet")
        let result = try ParquetBulkCheck.writeAndCheck([("checkpoint_step", .int64(steps)), ("coefficient", .double(coefficients)),
                                                         ("component", .string(components)), ("layer", .int64(layers)),
                                                         ("kind", .string(kinds)), ("value", .float(values))],
                                                        path: path)
        XCTAssertEqual(result.map(\.pyarrowEqual), Array(repeating: true, count: 6))
        XCTAssertEqual(result.map(\.duckdbEqual), Array(repeating: true, count: 6))
        XCTAssertEqual(result.first?.encodings.count, 8, "row groups of 131 072 rows")
        for group in 0..<8 {
            XCTAssertEqual(result.map { $0.dictionaryPages[group] }, [true, true, true, true, true, false], "row group \(group)")
        }
        XCTAssertEqual(result.first?.compression.first, "ZSTD")
        // Issue 10's target for export values: no more than 1.2 times pyarrow's default file.
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let pyarrowSize = try ParquetBulkCheck.pyarrowDefaultSize(of: path)
        XCTAssertGreaterThan(size, 1_000_000, "a million float32 values do not fit in less")
        XCTAssertLessThanOrEqual(Double(size), 1.2 * Double(pyarrowSize), "ours \(size) bytes, pyarrow's \(pyarrowSize)")
    }
}
