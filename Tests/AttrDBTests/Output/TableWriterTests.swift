import XCTest
@testable import AttrDB

final class TableWriterTests: XCTestCase {
    private let table = ResultTable(columns: ["name", "value", "n"], rows: [
        [.text("a,b"), .float(0.1), .int(3)],
        [.text("quote \" and\nnewline"), .double(-2.5e-7), .null],
        [.text("tab\there|pipe & 50%_x"), .double(.nan), .int(-1)],
    ])

    private func render(_ format: OutputFormat, headers: Bool = true, digits: Int? = nil, caption: String? = nil) throws -> String {
        let folder = try TemporaryFolder()
        let path = folder.path("out")
        do {
            let sink = try OutputSink.file(path)
            try TableWriter.write(table, format: format, sink: sink, headers: headers, digits: digits, caption: caption)
        }
        return try String(contentsOfFile: path, encoding: .utf8)
    }

    func testCSVQuotesPerRFC4180AndKeepsFloatsExact() throws {
        XCTAssertEqual(try render(.csv), """
            name,value,n
            "a,b",0.1,3
            "quote "" and
            newline",-2.5e-07,
            tab\there|pipe & 50%_x,nan,-1

            """)
        XCTAssertEqual(try render(.csv, headers: false).split(separator: "\n").first, "\"a,b\",0.1,3")
    }

    /// CSV writes integers digit by digit: each must read as `String(value)` does, the extremes too.
    func testCSVIntegersAreTheirDecimalText() throws {
        let values = [0, 7, -7, 10, -10, 4000, 123_456_789, Int.max, Int.min, Int.max - 1, Int.min + 1]
            + (0..<200).map { _ in Int.random(in: Int.min...Int.max) }
        let sink = OutputSink.memory()
        try TableWriter.write(ResultTable(columns: ["n", "m"], rows: values.map { [.int($0), .int(-($0 / 3))] }), format: .csv, sink: sink)
        let expected = "n,m\n" + values.map { "\($0),\(-($0 / 3))\n" }.joined()
        XCTAssertEqual(String(decoding: sink.collected ?? [], as: UTF8.self), expected)
    }

    func testTSVEscapesTabsAndNewlines() throws {
        XCTAssertEqual(try render(.tsv), "name\tvalue\tn\na,b\t0.1\t3\nquote \" and\\nnewline\t-2.5e-07\t\ntab\\there|pipe & 50%_x\tnan\t-1\n")
    }

    func testJSONAndJSONLinesParse() throws {
        let json = try render(.json)
        let array = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        XCTAssertEqual(array?.count, 3)
        XCTAssertEqual(array?[1]["name"] as? String, "quote \" and\nnewline")
        XCTAssertTrue(array?[2]["value"] is NSNull, "NaN becomes null")
        let lines = try render(.jsonl).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        for line in lines { XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8))) }
        XCTAssertEqual(String(lines[0]), #"{"name":"a,b","value":0.1,"n":3}"#)
    }

    func testMarkdownEscapesPipesAndNewlines() throws {
        let markdown = try render(.markdown, digits: 3)
        XCTAssertTrue(markdown.hasPrefix("| name | value | n |\n| --- | --- | --- |\n"))
        XCTAssertTrue(markdown.contains("| quote \" and<br>newline | -2.50e-07 |  |"), markdown)
        XCTAssertTrue(markdown.contains("tab\there\\|pipe &amp; 50%_x"), markdown)
    }

    func testLatexIsBooktabsAndEscaped() throws {
        let latex = try render(.latex, caption: "Top 10% of heads")
        XCTAssertTrue(latex.contains("\\begin{tabular}{lll}\n\\toprule\nname & value & n \\\\\n\\midrule\n"), latex)
        XCTAssertTrue(latex.contains("tab\there|pipe \\& 50\\%\\_x"), latex)
        XCTAssertTrue(latex.contains("\\caption{Top 10\\% of heads}"), latex)
        XCTAssertTrue(latex.hasSuffix("\\end{table}\n"))
    }

    func testAlignedTableUsesDisplayWidth() throws {
        let wide = ResultTable(columns: ["label", "v"], rows: [[.text("日本"), .int(1)], [.text("abcd"), .int(100)]])
        let folder = try TemporaryFolder()
        let path = folder.path("out")
        do { try TableWriter.write(wide, format: .table, sink: try OutputSink.file(path)) }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines, ["label    v", "─────  ───", "日本     1", "abcd   100"])
    }

    func testEmptyTableHasHeaderOnly() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("out")
        do { try TableWriter.write(ResultTable(columns: ["a", "b"]), format: .csv, sink: try OutputSink.file(path)) }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "a,b\n")
    }

    /// A memory sink collects what the writer writes: `attrdb serve`'s JSON is the command line's.
    func testAMemorySinkCollectsExactlyWhatAFileWouldHold() throws {
        let folder = try TemporaryFolder()
        let table = ResultTable(columns: ["name", "x"], rows: [[.text("a\"<b>"), .double(0.1)], [.null, .int(3)]])
        let path = folder.path("t.json")
        try TableWriter.write(table, format: .json, sink: try OutputSink.file(path))
        let memory = OutputSink.memory()
        try TableWriter.write(table, format: .json, sink: memory)
        XCTAssertEqual(memory.collected, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        XCTAssertFalse(memory.isTerminal)
        XCTAssertNil(OutputSink.standardOutput().collected)
    }
}
