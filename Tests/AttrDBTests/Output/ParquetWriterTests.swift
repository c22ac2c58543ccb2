import XCTest
@testable import AttrDB

/// Files written by `ParquetWriter`, read back value for value by pyarrow and DuckDB.
final class ParquetWriterTests: XCTestCase {
    private let allTypes = [
        ParquetColumn("id", .int64),
        ParquetColumn("count", .int64, nullable: true),
        ParquetColumn("share", .double),
        ParquetColumn("share_or_null", .double, nullable: true),
        ParquetColumn("coefficient", .float),
        ParquetColumn("coefficient_or_null", .float, nullable: true),
        ParquetColumn("component", .string),
        ParquetColumn("note", .string, nullable: true),
    ]

    private func write(_ rows: [[Cell]], columns: [ParquetColumn], rowGroupRows: Int = 131_072,
                       in scratch: ParquetScratch, name: String = "table.parquet") throws -> String {
        let path = scratch.path(name)
        let writer = try ParquetWriter(path: path, columns: columns, rowGroupRows: rowGroupRows)
        for row in rows { try writer.write(row) }
        try writer.close()
        return path
    }

    private func assertReadBack(_ report: ParquetReadBack.File, _ rows: [[Cell]], _ columns: [ParquetColumn],
                                file: StaticString = #filePath, line: UInt = #line) {
        let expected = ParquetReadBack.tags(rows, columns)
        let names = columns.map(\.name)
        XCTAssertEqual(report.pyarrow.columns, names, "pyarrow columns", file: file, line: line)
        XCTAssertEqual(report.duckdb.columns, names, "DuckDB columns", file: file, line: line)
        XCTAssertEqual(report.pyarrow.nullable, columns.map(\.nullable), "pyarrow nullability", file: file, line: line)
        XCTAssertEqual(report.pyarrow.rows.count, rows.count, file: file, line: line)
        XCTAssertEqual(report.duckdb.rows.count, rows.count, file: file, line: line)
        for (index, row) in expected.enumerated() where index < report.pyarrow.rows.count && index < report.duckdb.rows.count {
            XCTAssertEqual(report.pyarrow.rows[index], row, "pyarrow row \(index)", file: file, line: line)
            XCTAssertEqual(report.duckdb.rows[index], row, "DuckDB row \(index)", file: file, line: line)
        }
    }

    /// Rows exercising every type, nulls in runs and alone, and the conversions the writer makes.
    private func mixedRows(count: Int) -> [[Cell]] {
        let integers = [0, 1, -1, Int.max, Int.min, 42, -123_456_789_012, (1 << 53) + 1]
        let doubles: [Cell] = [.double(0), .double(-0.0), .double(0.1), .double(-2.5e-7), .double(1e308),
                               .double(.leastNonzeroMagnitude), .double(.greatestFiniteMagnitude), .double(-.infinity),
                               .double(.infinity), .double(.pi), .int(7), .float(0.1)]
        let floats: [Cell] = [.float(0), .float(-0.0), .float(0.1), .float(1.0 / 3.0), .float(.leastNonzeroMagnitude),
                              .float(.greatestFiniteMagnitude), .float(-.infinity), .float(16_777_216), .int(-3)]
        let texts = ["", "plain", "quote \" and 'single'", "line\nbreak\r\ntab\t", "emoji 🧠🔥👩‍🔬", "中文字符",
                     "back\\slash", "comma,semicolon;pipe|", "e\u{301} and é"]
        return (0..<count).map { i in
            // Nulls alone (every third row) and in a long run (rows 20 to 39) for both level encodings.
            let null = i % 3 == 0 || (20..<40).contains(i)
            return [
                .int(i),
                null ? .null : .int(integers[i % integers.count]),
                doubles[i % doubles.count],
                null ? .null : doubles[(i + 5) % doubles.count],
                floats[i % floats.count],
                null ? .null : floats[(i + 2) % floats.count],
                .text(texts[i % texts.count]),
                null ? .null : .text(texts[(i + 4) % texts.count]),
            ]
        }
    }

    func testEveryTypeAndNullReadsBackValueForValue() throws {
        let scratch = try ParquetScratch()
        let rows = mixedRows(count: 60)
        let file = try ParquetReadBack.file(try write(rows, columns: allTypes, in: scratch))
        assertReadBack(file, rows, allTypes)
        XCTAssertEqual(file.pyarrow.types, ["int64", "int64", "double", "double", "float", "float", "string", "string"])
        XCTAssertEqual(file.duckdbTypes, ["BIGINT", "BIGINT", "DOUBLE", "DOUBLE", "FLOAT", "FLOAT", "VARCHAR", "VARCHAR"])
        XCTAssertEqual(file.schema.map(\.physicalType),
                       ["INT64", "INT64", "DOUBLE", "DOUBLE", "FLOAT", "FLOAT", "BYTE_ARRAY", "BYTE_ARRAY"])
        XCTAssertEqual(file.schema.map(\.logicalType).suffix(2), ["String", "String"])
        XCTAssertEqual(file.schema.map(\.maxDefinitionLevel), [0, 1, 0, 1, 0, 1, 0, 1])
        XCTAssertEqual(file.createdBy, "attrdb")
        XCTAssertEqual(file.numRows, 60)
        XCTAssertEqual(file.rowGroups.count, 1)
        XCTAssertEqual(file.rowGroups.first?.columns.map(\.compression), Array(repeating: "ZSTD", count: 8))
        XCTAssertEqual(file.rowGroups.first?.columns.map(\.numValues), Array(repeating: 60, count: 8))
    }

    func testNaNReadsBackAsNaN() throws {
        let scratch = try ParquetScratch()
        let columns = [ParquetColumn("share", .double), ParquetColumn("coefficient", .float, nullable: true)]
        let rows: [[Cell]] = [[.double(.nan), .float(.nan)], [.double(1), .null], [.double(-.nan), .float(2)]]
        let file = try ParquetReadBack.file(try write(rows, columns: columns, in: scratch),
                                            queries: ["SELECT count(*) FROM t WHERE isnan(share)",
                                                      "SELECT count(*) FROM t WHERE isnan(coefficient)"])
        XCTAssertEqual(file.pyarrow.rows, ParquetReadBack.tags(rows, columns))
        XCTAssertEqual(file.queries, ["2", "1"])
    }

    func testEmptyTableKeepsItsSchema() throws {
        let scratch = try ParquetScratch()
        let file = try ParquetReadBack.file(try write([], columns: allTypes, in: scratch),
                                            queries: ["SELECT count(*) FROM t"])
        assertReadBack(file, [], allTypes)
        XCTAssertEqual(file.numRows, 0)
        XCTAssertEqual(file.rowGroups.count, 0)
        XCTAssertEqual(file.pyarrow.types, ["int64", "int64", "double", "double", "float", "float", "string", "string"])
        XCTAssertEqual(file.duckdbTypes, ["BIGINT", "BIGINT", "DOUBLE", "DOUBLE", "FLOAT", "FLOAT", "VARCHAR", "VARCHAR"])
        XCTAssertEqual(file.queries, ["0"])
    }

    func testRowGroupsAreBoundedByRowCount() throws {
        let scratch = try ParquetScratch()
        let columns = [ParquetColumn("id", .int64), ParquetColumn("share", .double, nullable: true),
                       ParquetColumn("component", .string)]
        let rows: [[Cell]] = (0..<10_500).map { i in
            [.int(i), i % 7 == 0 ? .null : .double(Double(i) / 8), .text("L\(i % 12)H\(i % 5)")]
        }
        let file = try ParquetReadBack.file(try write(rows, columns: columns, rowGroupRows: 1000, in: scratch),
                                            queries: ["SELECT sum(id) FROM t", "SELECT count(*) FROM t WHERE share IS NULL"])
        XCTAssertEqual(file.rowGroups.count, 11)
        XCTAssertEqual(file.rowGroups.map(\.numRows), Array(repeating: 1000, count: 10) + [500])
        XCTAssertEqual(file.numRows, 10_500)
        assertReadBack(file, rows, columns)
        XCTAssertEqual(file.queries, [String(10_499 * 10_500 / 2), String((10_499 / 7) + 1)])
        // Each row group's statistics cover its own rows: ids 1000 g … 1000 g + 999.
        for (index, group) in file.rowGroups.enumerated() {
            let low = index * 1000, high = min(index * 1000 + 999, 10_499)
            XCTAssertEqual(group.columns[0].statistics,
                           .init(hasMinMax: true, min: "i:\(low)", max: "i:\(high)", nullCount: 0), "row group \(index)")
        }
    }

    func testStatisticsPerRowGroup() throws {
        let scratch = try ParquetScratch()
        let columns = [ParquetColumn("n", .int64, nullable: true), ParquetColumn("x", .double, nullable: true),
                       ParquetColumn("f", .float), ParquetColumn("s", .string, nullable: true)]
        let rows: [[Cell]] = [
            // Row group 0: NaN left out of the bounds; "Zebra" sorts before "apple" byte-wise.
            [.int(5), .double(.nan), .float(0.5), .text("pear")],
            [.int(-3), .double(2.5), .float(-0.25), .text("apple")],
            [.int(9), .double(-1), .float(.nan), .text("Zebra")],
            [.null, .null, .float(3), .null],
            // Row group 1: no bounds where every value is null or NaN; zeros widen to -0.0 … +0.0.
            [.null, .double(.nan), .float(0), .text("émile")],
            [.null, .double(.nan), .float(-0.0), .text("Émile")],
            [.null, .null, .float(0), .text("e")],
            [.null, .double(.nan), .float(-0.0), .text("zz")],
            // Row group 2: extremes; the decomposed "e\u{301}" is byte-wise below the composed "é".
            [.int(.min), .double(-.infinity), .float(.leastNonzeroMagnitude), .text("é")],
            [.int(.max), .double(.infinity), .float(-.greatestFiniteMagnitude), .text("e\u{301}")],
        ]
        let file = try ParquetReadBack.file(try write(rows, columns: columns, rowGroupRows: 4, in: scratch), queries: [
            "SELECT count(*) FROM t WHERE n = 9",
            "SELECT count(*) FROM t WHERE f = 0",
            "SELECT count(*) FROM t WHERE s = 'e\u{301}'",
            "SELECT count(*) FROM t WHERE s = 'Zebra'",
            "SELECT count(*) FROM t WHERE x > 2",
            "SELECT count(*) FROM t WHERE x > 3",
        ])
        assertReadBack(file, rows, columns)
        typealias S = ParquetReadBack.Statistics
        let d = ParquetReadBack.doubleTag, f = ParquetReadBack.floatTag
        let expected: [[S]] = [
            [S(hasMinMax: true, min: "i:-3", max: "i:9", nullCount: 1),
             S(hasMinMax: true, min: d(-1), max: d(2.5), nullCount: 1),
             S(hasMinMax: true, min: f(-0.25), max: f(3), nullCount: 0),
             S(hasMinMax: true, min: "s:Zebra", max: "s:pear", nullCount: 1)],
            [S(hasMinMax: false, min: nil, max: nil, nullCount: 4),
             S(hasMinMax: false, min: nil, max: nil, nullCount: 1),
             S(hasMinMax: true, min: f(-0.0), max: f(0), nullCount: 0),
             S(hasMinMax: true, min: "s:e", max: "s:émile", nullCount: 0)],
            [S(hasMinMax: true, min: "i:\(Int.min)", max: "i:\(Int.max)", nullCount: 0),
             S(hasMinMax: true, min: d(-.infinity), max: d(.infinity), nullCount: 0),
             S(hasMinMax: true, min: f(-.greatestFiniteMagnitude), max: f(.leastNonzeroMagnitude), nullCount: 0),
             S(hasMinMax: true, min: "s:e\u{301}", max: "s:é", nullCount: 0)],
        ]
        XCTAssertEqual(file.rowGroups.count, 3)
        for (index, group) in file.rowGroups.enumerated() where index < expected.count {
            XCTAssertEqual(group.columns.map(\.statistics), expected[index], "row group \(index)")
        }
        // DuckDB prunes row groups by these statistics, so wrong bounds would lose rows here. It
        // orders NaN above every number: x > 2 and x > 3 count the four NaNs too (row group 0's
        // among them, though its bounds leave NaN out).
        XCTAssertEqual(file.queries, ["1", "4", "1", "1", "6", "5"])
    }

    func testFloat32AndFloat64RoundTripBitForBit() throws {
        let scratch = try ParquetScratch()
        let columns = [ParquetColumn("f", .float), ParquetColumn("d", .double)]
        // Every kind of bit pattern: normal, subnormal, zeros, infinities and NaNs with payloads.
        var generator = ParquetTestRandom(seed: 20_240_601)
        let rows: [[Cell]] = (0..<3000).map { _ in
            let bits = generator.next()
            return [.float(Float(bitPattern: UInt32(truncatingIfNeeded: bits >> 32))), .double(Double(bitPattern: bits))]
        }
        let file = try ParquetReadBack.file(try write(rows, columns: columns, rowGroupRows: 1000, in: scratch))
        XCTAssertEqual(file.pyarrow.rows, ParquetReadBack.tags(rows, columns))
        // DuckDB keeps every number exactly; it may give NaNs its own payload.
        let expected = ParquetReadBack.tags(rows, columns)
        for (index, row) in rows.enumerated() where index < file.duckdb.rows.count {
            for (column, cell) in row.enumerated() where !(cell.doubleValue?.isNaN ?? false) {
                XCTAssertEqual(file.duckdb.rows[index][column], expected[index][column], "DuckDB row \(index)")
            }
        }
        // Bounds leave NaN out and are exact.
        for (group, chunk) in file.rowGroups.enumerated() {
            let values = rows[(group * 1000)..<(group * 1000 + 1000)]
            let floats = values.compactMap { row -> Float? in
                if case .float(let v) = row[0], !v.isNaN { return v } else { return nil }
            }
            guard let low = floats.min(), let high = floats.max() else { continue }
            XCTAssertEqual(chunk.columns[0].statistics?.min, ParquetReadBack.floatTag(low))
            XCTAssertEqual(chunk.columns[0].statistics?.max, ParquetReadBack.floatTag(high))
        }
    }

    func testInt64ExtremesSurviveExactly() throws {
        let scratch = try ParquetScratch()
        let columns = [ParquetColumn("n", .int64)]
        let values = [Int.min, Int.min + 1, -(1 << 53) - 1, -1, 0, 1, (1 << 53) + 1, Int.max - 1, Int.max]
        let rows = values.map { [Cell.int($0)] }
        let file = try ParquetReadBack.file(try write(rows, columns: columns, in: scratch),
                                            queries: ["SELECT max(n) FROM t", "SELECT min(n) FROM t",
                                                      "SELECT count(*) FROM t WHERE n = 9007199254740993"])
        assertReadBack(file, rows, columns)
        XCTAssertEqual(file.queries, [String(Int.max), String(Int.min), "1"])
        XCTAssertEqual(file.rowGroups.first?.columns.first?.statistics,
                       .init(hasMinMax: true, min: "i:\(Int.min)", max: "i:\(Int.max)", nullCount: 0))
    }

    func testLongStringsSpanSeveralPages() throws {
        let scratch = try ParquetScratch()
        let columns = [ParquetColumn("id", .int64), ParquetColumn("text", .string, nullable: true)]
        // 40 strings of 100 kB, some null: about 3 MB of values, more than three 1 MiB pages.
        let heads = ["a", "b", "\u{1F9E0}", "\"", "\n"]
        let rows: [[Cell]] = (0..<40).map { i in
            [.int(i), i % 4 == 1 ? .null : .text(heads[i % heads.count] + String(repeating: "x", count: 100_000) + "\(i)")]
        }
        let file = try ParquetReadBack.file(try write(rows, columns: columns, in: scratch),
                                            queries: ["SELECT sum(length(text)) FROM t"])
        assertReadBack(file, rows, columns)
        // Bounds this long are left out rather than written into the footer.
        XCTAssertEqual(file.rowGroups.first?.columns[1].statistics,
                       .init(hasMinMax: false, min: nil, max: nil, nullCount: 10))
        let lengths = rows.compactMap { row -> Int? in if case .text(let v) = row[1] { return v.count } else { return nil } }
        XCTAssertEqual(file.queries, [String(lengths.reduce(0, +))])
    }

    func testWriterConvertsIntegersAndRefusesWhatDoesNotFit() throws {
        let scratch = try ParquetScratch()
        let columns = [ParquetColumn("n", .int64), ParquetColumn("x", .double), ParquetColumn("f", .float),
                       ParquetColumn("s", .string)]
        let path = scratch.path("checked.parquet")
        let writer = try ParquetWriter(path: path, columns: columns)
        try writer.write([.int(1), .int(3), .int(-2), .text("a")])
        try writer.write([.int(2), .float(0.1), .float(0.5), .text("b")])
        XCTAssertThrowsError(try writer.write([.int(3)])) {
            XCTAssertEqual($0 as? ParquetError, .rowWidth(row: 2, expected: 4, found: 1))
        }
        XCTAssertThrowsError(try writer.write([.text("3"), .double(1), .float(1), .text("c")])) {
            XCTAssertEqual($0 as? ParquetError, .typeMismatch(row: 2, column: "n", type: .int64, found: .text("3")))
        }
        XCTAssertThrowsError(try writer.write([.int(3), .double(1), .double(1), .text("c")])) {
            XCTAssertEqual($0 as? ParquetError, .typeMismatch(row: 2, column: "f", type: .float, found: .double(1)))
            XCTAssertEqual(($0 as? ParquetError)?.description, "row 2, column 'f': expected float, found double '1.0'")
        }
        XCTAssertThrowsError(try writer.write([.int(3), .double(1), .float(1), .null])) {
            XCTAssertEqual($0 as? ParquetError, .nullInRequiredColumn(row: 2, column: "s"))
        }
        XCTAssertThrowsError(try writer.write([.double(3), .double(1), .float(1), .text("c")])) {
            XCTAssertEqual($0 as? ParquetError, .typeMismatch(row: 2, column: "n", type: .int64, found: .double(3)))
        }
        try writer.write([.int(3), .double(1), .float(1), .text("c")])
        try writer.close()
        try writer.close()
        XCTAssertThrowsError(try writer.write([.int(4), .double(1), .float(1), .text("d")])) {
            XCTAssertEqual($0 as? ParquetError, .closed(path: path))
        }
        // The refused rows left nothing behind.
        let file = try ParquetReadBack.file(path)
        XCTAssertEqual(file.pyarrow.rows, [
            ["i:1", ParquetReadBack.doubleTag(3), ParquetReadBack.floatTag(-2), "s:a"],
            ["i:2", ParquetReadBack.doubleTag(Double(Float(0.1))), ParquetReadBack.floatTag(0.5), "s:b"],
            ["i:3", ParquetReadBack.doubleTag(1), ParquetReadBack.floatTag(1), "s:c"],
        ])
    }

    func testAFullDiskEndsTheFile() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full here") }
        let writer = try ParquetWriter(path: "/dev/full", columns: [ParquetColumn("s", .string)], rowGroupRows: 1)
        // A value larger than the sink's buffer goes straight to the device, which refuses it. Random
        // letters, as zstd would shrink a repeated one below the buffer.
        var generator = ParquetTestRandom(seed: 3)
        let text = String((0..<300_000).map { _ in Character(Unicode.Scalar(UInt8(97 + generator.next() % 26))) })
        XCTAssertThrowsError(try writer.write([.text(text)])) {
            XCTAssertEqual($0 as? OutputFileError, .writeFailed(path: "/dev/full", reason: "No space left on device", previous: .stream))
        }
        XCTAssertThrowsError(try writer.write([.text("more")])) {
            XCTAssertEqual($0 as? ParquetError, .closed(path: "/dev/full"))
        }
    }

    func testColumnListsThatCannotBeWritten() throws {
        let scratch = try ParquetScratch()
        let path = scratch.path("bad.parquet")
        XCTAssertThrowsError(try ParquetWriter(path: path, columns: [])) {
            XCTAssertEqual($0 as? ParquetError, .invalidSchema("a file needs at least one column"))
        }
        XCTAssertThrowsError(try ParquetWriter(path: path, columns: [ParquetColumn("a", .int64), ParquetColumn("a", .string)])) {
            XCTAssertEqual($0 as? ParquetError, .invalidSchema("the column name 'a' appears twice"))
        }
        XCTAssertThrowsError(try ParquetWriter(path: path, columns: [ParquetColumn("a", .int64)], rowGroupRows: 0))
        XCTAssertThrowsError(try ParquetWriter(path: scratch.path("missing/folder/x.parquet"), columns: [ParquetColumn("a", .int64)])) {
            XCTAssertEqual($0 as? OutputFileError, .cannotCreate(path: scratch.path("missing/folder/x.parquet"), reason: "No such file or directory"))
        }
    }

    func testColumnsInferredFromATable() throws {
        let table = ResultTable(columns: ["step", "share", "mixed", "name", "empty", "coefficient"], rows: [
            [.int(1), .double(0.5), .int(1), .text("a"), .null, .float(0.5)],
            [.int(2), .null, .float(2.5), .text("b"), .null, .float(1)],
        ])
        XCTAssertEqual(try ParquetColumn.columns(for: table), [
            ParquetColumn("step", .int64),
            ParquetColumn("share", .double, nullable: true),
            ParquetColumn("mixed", .double),
            ParquetColumn("name", .string),
            ParquetColumn("empty", .string, nullable: true),
            ParquetColumn("coefficient", .float),
        ])
        let mixed = ResultTable(columns: ["a"], rows: [[.int(1)], [.text("x")]])
        XCTAssertThrowsError(try ParquetColumn.columns(for: mixed)) {
            XCTAssertEqual($0 as? ParquetError, .mixedColumn(column: "a", row: 1, first: .int64, then: .string))
        }

        let scratch = try ParquetScratch()
        let path = scratch.path("table.parquet")
        try ParquetWriter.write(table, to: path)
        let file = try ParquetReadBack.file(path)
        XCTAssertEqual(file.pyarrow.types, ["int64", "double", "double", "string", "string", "float"])
        XCTAssertEqual(file.pyarrow.rows, ParquetReadBack.tags(table.rows, try ParquetColumn.columns(for: table)))
    }
}
