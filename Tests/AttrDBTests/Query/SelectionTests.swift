import XCTest
@testable import AttrDB

/// Checkpoint, coefficient and component selections: what they take, and the usage errors (64) of
/// those that cannot take anything.
final class SelectionTests: XCTestCase {
    private func assertSelectionError(_ expected: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Any) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? SelectionError, SelectionError(expected), file: file, line: line)
            XCTAssertEqual((error as? UserFacingError)?.exitStatus, 64, file: file, line: line)
        }
    }

    func testReversedAndMalformedCheckpointSelectionsAreRefusedWhenParsed() throws {
        assertSelectionError("--checkpoint '200:100': the range is reversed (200 > 100); write the lower step first: 100:200") { try CheckpointSelection(parsing: "200:100") }
        assertSelectionError("--checkpoint 'every:0': every:N takes a whole number N ≥ 1 (every Nth stored checkpoint)") { try CheckpointSelection(parsing: "every:0") }
        assertSelectionError("--checkpoint 'every:-2': every:N takes a whole number N ≥ 1 (every Nth stored checkpoint)") { try CheckpointSelection(parsing: "every:-2") }
        assertSelectionError("--checkpoint 'soon': expected all, last, first, a step, A:B or every:N") { try CheckpointSelection(parsing: "soon") }
        XCTAssertEqual(try CheckpointSelection(parsing: "-5:-5"), .range(-5, -5))
        XCTAssertEqual(try CheckpointSelection(parsing: ":100"), .range(nil, 100))
        XCTAssertEqual(try CheckpointSelection(parsing: "-3"), .step(-3))
    }

    func testACheckpointSelectionThatTakesNothingNamesTheStepsAround() throws {
        let steps = [0, 10, 100, 1000]
        XCTAssertEqual(try CheckpointSelection.range(10, 100).indices(in: steps), [1, 2])
        assertSelectionError("--checkpoint 11:99 selects no stored checkpoint of run 'r' (4 stored, steps 0 to 1000; closest: 10, 100)") {
            try CheckpointSelection.range(11, 99).indices(in: steps, run: "r")
        }
        assertSelectionError("--checkpoint 2000: selects no stored checkpoint (4 stored, steps 0 to 1000; closest: 1000)") {
            try CheckpointSelection.range(2000, nil).indices(in: steps)
        }
        // Built directly rather than parsed, every:0 must not reach stride(by: 0), which traps.
        assertSelectionError("--checkpoint every:0: every:N takes a whole number N ≥ 1 (every Nth stored checkpoint)") {
            try CheckpointSelection.every(0).indices(in: steps)
        }
    }

    func testCoefficientSelectionsRefuseNonFiniteAndReversedValues() throws {
        assertSelectionError("--coef '5:3': the range is reversed (5 > 3); write the lower value first: 3:5") { try CoefficientSelection(parsing: "5:3") }
        assertSelectionError("--coef 'nan': nan is not a finite number") { try CoefficientSelection(parsing: "nan") }
        assertSelectionError("--coef 'inf': inf is not a finite number") { try CoefficientSelection(parsing: "inf") }
        assertSelectionError("--coef '0:inf': inf is not a finite number (leave a side empty for an open range, e.g. 0:)") { try CoefficientSelection(parsing: "0:inf") }
        assertSelectionError("--coef '-inf:0': -inf is not a finite number (leave a side empty for an open range, e.g. :0)") { try CoefficientSelection(parsing: "-inf:0") }
        XCTAssertEqual(try CoefficientSelection(parsing: "-5:-1"), .range(-5, -1))
        XCTAssertEqual(try CoefficientSelection(parsing: ":-1"), .range(nil, -1))
        XCTAssertEqual(try CoefficientSelection(parsing: "-1:"), .range(-1, nil))
        XCTAssertEqual(try CoefficientSelection(parsing: "-0.5"), .nearest(-0.5))
    }

    func testAFarValueTakesTheNearestEndOfTheGrid() throws {
        let grid = [-10.0, -5, 0, 5, 10]
        XCTAssertEqual(try CoefficientSelection.nearest(1e20).positions(in: grid), 4..<5)
        XCTAssertEqual(try CoefficientSelection.nearest(-1e20).positions(in: grid), 0..<1)
        XCTAssertEqual(try CoefficientSelection.nearest(1.7e308).positions(in: grid), 4..<5)
        XCTAssertEqual(try CoefficientSelection.nearest(4).positions(in: grid), 3..<4)
        // A grid in the experiment's own order (axes.json) is searched the same way.
        XCTAssertEqual(try CoefficientSelection.nearest(1e20).positions(in: [0, 10, -10]), 1..<2)
        assertSelectionError("--coef 1.0:2.0 selects no coefficient of run 'r' (5 on the grid, -10.0 to 10.0; closest: 0.0, 5.0)") {
            try CoefficientSelection.range(1, 2).positions(in: grid, run: "r")
        }
    }

    func testAComponentFilterThatKeepsNothingSaysWhatThereIs() throws {
        let components = [Component(label: "embed", layer: -1, kind: .embed), Component(label: "L0H0", layer: 0, kind: .attnHead, index: 0),
                          Component(label: "0_mlp_out", layer: 0, kind: .mlp), Component(label: "bias", layer: 1, kind: .bias)]
        XCTAssertEqual(try ComponentFilter(layers: [-1, 0]).positions(in: components), [0, 1, 2])
        XCTAssertEqual(try ComponentFilter(kinds: [.mlp]).positions(in: components), [2])
        assertSelectionError("--layer 3: no component of run 'r' has layer 3 (layers: -1, 0, 1)") {
            try ComponentFilter(layers: [0, 3]).positions(in: components, run: "r")
        }
        assertSelectionError("--kind neuron: no component is of kind neuron (kinds: embed, attn_head, mlp, bias)") {
            try ComponentFilter(kinds: [.neuron]).positions(in: components)
        }
        assertSelectionError("--layer 1 --kind mlp: no component has both") {
            try ComponentFilter(layers: [1], kinds: [.mlp]).positions(in: components)
        }
    }

    func testAComponentFilterByLabelKeepsThoseAndNamesTheClosestToAnUnknownOne() throws {
        let components = [Component(label: "embed", layer: -1, kind: .embed), Component(label: "L0H0", layer: 0, kind: .attnHead, index: 0),
                          Component(label: "0_mlp_out", layer: 0, kind: .mlp), Component(label: "bias", layer: 1, kind: .bias)]
        XCTAssertEqual(try ComponentFilter(labels: ["0_mlp_out", "embed"]).positions(in: components), [0, 2])
        XCTAssertThrowsError(try ComponentFilter(labels: ["L0H1"]).positions(in: components)) { error in
            XCTAssertEqual(error as? StoreError, .unknown(what: "component", name: "L0H1", suggestions: Suggestions.closest(to: "L0H1", in: components.map(\.label))))
        }
        assertSelectionError("--layer 1 --component L0H0: no component has both") {
            try ComponentFilter(layers: [1], labels: ["L0H0"]).positions(in: components)
        }
    }

    /// A table read outside the scan (losses, norms) takes the selection over its own steps, exactly
    /// as a scan's checkpoints do.
    func testACheckpointSelectionKeepsATablesRowsAtTheStepsItTakes() throws {
        let table = ResultTable(columns: ["checkpoint_step", "loss"], rows: (0..<10).map { [.int($0 * 10), .double(Double($0))] })
        XCTAssertEqual(try CheckpointSelection.every(4).rows(of: table, run: "r").rows.map { $0[0] }, [.int(0), .int(40), .int(80), .int(90)])
        XCTAssertEqual(try CheckpointSelection.range(25, 55).rows(of: table, run: "r").rows.map { $0[0] }, [.int(30), .int(40), .int(50)])
        assertSelectionError("--checkpoint 91: selects no stored checkpoint of run 'r' (10 stored, steps 0 to 90; closest: 90)") {
            try CheckpointSelection.range(91, nil).rows(of: table, run: "r")
        }
        let noSteps = ResultTable(columns: ["label"], rows: [[.text("a")]])
        XCTAssertEqual(try CheckpointSelection.last.rows(of: noSteps, run: "r"), noSteps)
    }
}
