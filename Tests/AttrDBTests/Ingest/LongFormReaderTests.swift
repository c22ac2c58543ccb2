import XCTest
@testable import AttrDB

final class LongFormReaderTests: XCTestCase {
    func testCSVBuildsSortedAxesAndComponentMajorMatrices() throws {
        let fixture = try IngestFixture()
        // Rows out of order, with layer and kind left out: they come from the labels.
        let path = try fixture.file("a.csv", """
            checkpoint_step,coefficient,component,value
            20,1.0,L1H0,4
            20,-1.0,L1H0,3
            10,1.0,L1H0,2
            10,-1.0,L1H0,1
            10,-1.0,bias,5
            10,1.0,bias,6
            20,-1.0,bias,7
            20,1.0,bias,8

            """)
        let (axes, matrices) = try LongFormReader.readCSV(path: path)
        XCTAssertEqual(axes.checkpointSteps, [10, 20])
        XCTAssertEqual(axes.coefficients, [-1, 1])
        XCTAssertEqual(axes.components, [Component(label: "L1H0", layer: 1, kind: .attnHead, index: 0), Component(label: "bias", layer: 2, kind: .bias)])
        XCTAssertEqual(matrices, [[1, 2, 5, 6], [3, 4, 7, 8]])
    }

    func testQuotedFieldsCRLFAndTSV() throws {
        let fixture = try IngestFixture()
        let csv = try fixture.file("q.csv", "checkpoint_step,coefficient,component,value\r\n1,0,\"L0H0\",\"1.5\"\r\n")
        XCTAssertEqual(try LongFormReader.readCSV(path: csv).matrices, [[1.5]])
        let tsv = try fixture.file("t.tsv", "checkpoint_step\tcoefficient\tcomponent\tvalue\n1\t0\tembed\t-2\n")
        XCTAssertEqual(try LongFormReader.readCSV(path: tsv, delimiter: UInt8(ascii: "\t")).matrices, [[-2]])
    }

    func testGzipCompressedCSV() throws {
        let fixture = try IngestFixture()
        let plain = try fixture.file("p.csv", tinyCSV())
        let gz = fixture.folder.path("p.csv.gz")
        _ = try python("import gzip,shutil,sys; shutil.copyfileobj(open(sys.argv[1],'rb'), gzip.open(sys.argv[2],'wb'))", arguments: [plain, gz])
        let a = try LongFormReader.readCSV(path: plain), b = try LongFormReader.readCSV(path: gz)
        XCTAssertEqual(a.matrices, b.matrices)
        XCTAssertEqual(a.axes, b.axes)
    }

    func testBadCSVInputsNameFileLineAndExpectation() throws {
        let fixture = try IngestFixture()
        let header = "checkpoint_step,coefficient,component,layer,kind,value"
        let cases: [(String, String, String)] = [
            ("missing.csv", "checkpoint_step,coefficient,component,layer,kind\n1,0,L0H0,0,attn_head\n",
             "missing.csv: line 1: expected a header with the columns checkpoint_step,coefficient,component,value, found 'checkpoint_step,coefficient,component,layer,kind' (missing value)"),
            ("ragged.csv", "\(header)\n1,0,L0H0,0,attn_head,1\n1,0,L0H1,0,attn_head\n",
             "ragged.csv: line 3: expected 6 fields as in the header, found 5"),
            ("nan.csv", "\(header)\n1,0,L0H0,0,attn_head,abc\n",
             "nan.csv: line 2, column 'value': expected a number, found 'abc'"),
            ("empty.csv", "\(header)\n", "empty.csv: line 2: expected at least one row after the header, found nothing"),
            ("kind.csv", "\(header)\n1,0,L0H0,0,attention,1\n",
             "kind.csv: line 2, column 'kind': expected one of embed, pos_embed, attn_head, mlp, neuron, bias, found 'attention'"),
            ("label.csv", "\(header)\n1,0,resid_mid,,,1\n",
             "label.csv: line 2, column 'component': expected a TransformerLens label (embed, pos_embed, L{l}H{h}, {l}_mlp_out, L{l}N{n}, bias), or layer and kind columns, found 'resid_mid'"),
            ("dup.csv", "\(header)\n1,0,L0H0,0,attn_head,1\n1,0,L0H0,0,attn_head,2\n",
             "dup.csv: line 3: checkpoint 1, coefficient 0.0, component L0H0 is given twice (first on line 2)"),
            ("hole.csv", "\(header)\n1,0,L0H0,0,attn_head,1\n1,1,L0H1,0,attn_head,2\n",
             "hole.csv: no value for checkpoint 1, coefficient 1.0, component L0H0: every checkpoint needs every component at every coefficient"),
            ("quote.csv", "\(header)\n1,0,\"L0H0,0,attn_head,1\n", "quote.csv: line 2: expected a closing quote, found end of file"),
        ]
        for (name, text, message) in cases {
            let path = try fixture.file(name, text)
            try fixture.assertRefused(message.replacingOccurrences(of: name, with: path, options: .anchored)) {
                try fixture.ingest(path)
            }
        }
    }

    func testJSONLinesAndTheirErrors() throws {
        let fixture = try IngestFixture()
        let good = try fixture.file("a.jsonl", """
            {"checkpoint_step": 5, "coefficient": 0.5, "component": "L0H1", "value": 0.25}
            {"checkpoint_step": 5, "coefficient": 0.5, "component": "embed", "value": -1}

            """)
        let (axes, matrices) = try LongFormReader.readJSONLines(path: good)
        XCTAssertEqual(axes.checkpointSteps, [5])
        XCTAssertEqual(matrices, [[0.25, -1]])
        let cases: [(String, String, String)] = [
            ("notjson.jsonl", "{\"checkpoint_step\": 1,\n", "notjson.jsonl: line 1: expected a JSON object, found text that is not JSON"),
            ("nokey.jsonl", "{\"checkpoint_step\": 1, \"component\": \"embed\"}\n", "nokey.jsonl: line 1: expected the key 'value', found no such key"),
            ("array.jsonl", "[1, 2]\n", "array.jsonl: line 1: expected a JSON object, found a list"),
            ("step.jsonl", "{\"checkpoint_step\": 1.5, \"component\": \"embed\", \"value\": 1}\n", "step.jsonl: line 1, column 'checkpoint_step': expected an integer, found the number 1.5"),
        ]
        for (name, text, message) in cases {
            let path = try fixture.file(name, text)
            let before = try fixture.snapshot()
            XCTAssertThrowsError(try fixture.ingest(path)) { error in
                XCTAssertTrue("\(error)".hasPrefix(message.replacingOccurrences(of: name, with: path, options: .anchored)), "\(error)")
            }
            XCTAssertEqual(try fixture.snapshot(), before)
        }
    }

    /// Rows of a component already seen take the fast path, which must hand anything unusual or wrong
    /// to the full reading: the same values, the same errors as on a component's first row.
    func testRowsOfKnownComponentsGetTheFullReading() throws {
        let fixture = try IngestFixture()
        let header = "checkpoint_step,coefficient,component,layer,kind,value"
        let first = "1,0,L0H0,0,attn_head,1\n"
        let odd = try fixture.file("odd.csv", "\(header)\n\(first)2,0,L0H0,,, 2.5 \n+3,0.0,L0H0,0,,nan\n4,-0,L0H0,0,attn_head,-1E-2\n")
        let (axes, matrices) = try LongFormReader.readCSV(path: odd)
        XCTAssertEqual(axes.checkpointSteps, [1, 2, 3, 4])
        XCTAssertEqual(axes.coefficients, [0])
        XCTAssertEqual(matrices[0], [1])
        XCTAssertEqual(matrices[1], [2.5])
        XCTAssertTrue(matrices[2][0].isNaN)
        XCTAssertEqual(matrices[3], [-0.01])
        let csvCases: [(String, String)] = [
            ("1,1,L0H0,1,attn_head,2", "line 3, column 'layer': expected layer 0 for L0H0, as on earlier lines, found 1"),
            ("1,1,L0H0,0,attn_head,abc", "line 3, column 'value': expected a number, found 'abc'"),
            ("1,1,L0H0,0,attn_head,1e39", "line 3, column 'value': expected a finite float32 value, found 1e39 (out of float32 range)"),
            ("1,1,L0H0,0,attention,2", "line 3, column 'kind': expected one of embed, pos_embed, attn_head, mlp, neuron, bias, found 'attention'"),
            ("x,1,L0H0,0,attn_head,2", "line 3, column 'checkpoint_step': expected an integer, found 'x'"),
            ("1,inf,L0H0,0,attn_head,2", "line 3, column 'coefficient': expected a finite coefficient, found inf"),
            ("1,,L0H0,0,attn_head,2", "line 3, column 'coefficient': expected a number, found an empty field"),
            ("1,0,L0H0,0,attn_head,2", "line 3: checkpoint 1, coefficient 0.0, component L0H0 is given twice (first on line 2)"),
        ]
        for (index, (row, message)) in csvCases.enumerated() {
            let path = try fixture.file("known\(index).csv", "\(header)\n\(first)\(row)\n")
            try fixture.assertRefused("\(path): \(message)") { try fixture.ingest(path) }
        }
        let line = #"{"checkpoint_step": 1, "coefficient": 0, "component": "L0H0", "layer": 0, "value": 1}"#
        let jsonCases: [(String, String)] = [
            (#"{"checkpoint_step": 1, "coefficient": 1, "component": "L0H0", "layer": 1, "value": 2}"#, "line 2, column 'layer': expected layer 0 for L0H0, as on earlier lines, found 1"),
            (#"{"checkpoint_step": 1, "coefficient": 1, "component": "L0H0", "value": "x"}"#, "line 2, column 'value': expected a number, found the string 'x'"),
            (#"{"checkpoint_step": 1, "coefficient": 1, "component": "L0H0", "value": 1e39}"#, "line 2, column 'value': expected a finite float32 value, found 1e+39 (out of float32 range)"),
            (#"{"checkpoint_step": 1.5, "coefficient": 1, "component": "L0H0", "value": 2}"#, "line 2, column 'checkpoint_step': expected an integer, found the number 1.5"),
            (#"{"checkpoint_step": 1, "coefficient": 1e400, "component": "L0H0", "value": 2}"#, "line 2, column 'coefficient': expected a finite coefficient, found inf"),
            (#"{"checkpoint_step": 1, "component": "L0H0", "value": 2}"#, "line 2: checkpoint 1, coefficient 0.0, component L0H0 is given twice (first on line 1)"),
        ]
        for (index, (second, message)) in jsonCases.enumerated() {
            let path = try fixture.file("known\(index).jsonl", "\(line)\n\(second)\n")
            try fixture.assertRefused("\(path): \(message)") { try fixture.ingest(path) }
        }
        // Read by the fast path and by the full one (an escape), the same value.
        let both = try fixture.file("both.jsonl", "\(line)\n" + #"{"checkpoint_step": 2, "coefficient": 0, "component": "L0H0", "value": 0.30000001192092896}"# + "\n"
                                      + #"{"checkpoint_step": 3, "coefficient": 0, "component": "L0\u0048\u0030", "value": 0.30000001192092896}"# + "\n")
        XCTAssertEqual(try LongFormReader.readJSONLines(path: both).matrices, [[1], [0.3], [0.3]])
    }

    /// The fast path's scanner (numbers, strings, white space, keys) accepts only what the full reading
    /// accepts, with the same value, and hands it everything else: each line read after a row of its
    /// component (the fast path) gives what it gives read alone (the full reading), line numbers aside.
    func testJSONLinesFastScannerAgreesWithTheFullReading() throws {
        let fixture = try IngestFixture()
        let first = #"{"checkpoint_step": 1, "component": "L0H0", "value": 1}"#
        let values = ["0", "-0", "01", "1.", ".5", "1e", "1e+", "-", "1E-2", "0.5e3", "-12.75E+1", "null", "nul", "nulx", "2x",
                      "\"2\"", "1e39", "3.4028235e38", "true", "[1]",
                      // Past what the one-pass reading converts itself (19 digits, exponents within ±27):
                      "12345678901234567890123", "0.1234567890123456789012", "1e00005", "1e-30", "-0.0", "0e5", "7e-46", "1.5e-300"]
        var lines = values.map { #"{"checkpoint_step": 2, "component": "L0H0", "value": "# + $0 + "}" }
        lines += [
            " \t{\"checkpoint_step\" :2 ,\"component\":\"L0H0\",\"value\":3} \t\r",
            #"{"checkpoint_step": 2, "component": "L0H0", "value": 3} x"#,
            #"{"checkpoint_step": 2, "component": "L0H0", "value": 3"#,
            #"{"checkpoint_step": 2, "component": "L0H0", "value": 3, "value": 4}"#,
            #"{"checkpoint_step": 2, "component": "L0H0", "valuf": 3}"#,
            #"{"checkpoint_step": 2, "component": "L0H0", "value": 3, "extra": 1}"#,
            #"{"checkpoint_step": 2, "component": "L0H0", "kind": "attn_head", "layer": 0, "value": 3}"#,
            #"{"checkpoint_step": 2, "component": "L0H0", "kind": "head", "value": 3}"#,
            #"{"checkpoint_step": 2, "component": "L0H0", "coefficient": null, "value": 3}"#,
            #"{"checkpoint_step": 2, "": 1, "component": "L0H0", "value": 3}"#,
            #"{"checkpoint_step": 2e0, "component": "L0H0", "value": 3}"#,
            #"{"checkpoint_step": 2, "component": "L0H0", "value": 3,}"#,
        ]
        for (index, line) in lines.enumerated() {
            /// The value read for the line, or its error with the file and line number left out.
            func outcome(_ name: String, _ text: String, lineNumber: Int) -> String {
                do {
                    let path = try fixture.file(name, text)
                    do {
                        let read = try LongFormReader.readJSONLines(path: path)
                        return read.matrices.last.map { "\($0)" } ?? "nothing"
                    } catch {
                        return "\(error)".replacingOccurrences(of: "\(path): line \(lineNumber)", with: "LINE")
                    }
                } catch { return "fixture: \(error)" }
            }
            let fast = outcome("fast\(index).jsonl", "\(first)\n\(line)\n", lineNumber: 2)
            let full = outcome("full\(index).jsonl", "\(line)\n", lineNumber: 1)
            XCTAssertEqual(fast, full, line)
            XCTAssertFalse(fast.contains("fixture:"), fast)
        }
    }

    /// A row's component is first guessed as the one after the row before's: rows in any other order
    /// (backwards, repeated, skipping) still land in their own component's cells, from CSV and JSON lines.
    func testComponentsInAnyOrderLandInTheirCells() throws {
        let fixture = try IngestFixture()
        let labels = ["L0H0", "L0H1", "L0H2", "L1H0"]
        let order = [0, 1, 2, 3, 3, 2, 1, 0, 2, 0, 3, 1]
        var jsonl = "", csv = "checkpoint_step,coefficient,component,layer,kind,value\n"
        for (row, component) in order.enumerated() {
            let step = row / 4 + 1, value = Double(step * 10 + component)
            jsonl += #"{"checkpoint_step": \#(step), "component": "\#(labels[component])", "value": \#(value)}"# + "\n"
            csv += "\(step),0,\(labels[component]),,,\(value)\n"
        }
        let expected: [[Float]] = (1...3).map { step in (0..<4).map { Float(step * 10 + $0) } }
        XCTAssertEqual(try LongFormReader.readJSONLines(path: try fixture.file("order.jsonl", jsonl)).matrices, expected)
        XCTAssertEqual(try LongFormReader.readCSV(path: try fixture.file("order.csv", csv)).matrices, expected)
    }
}
