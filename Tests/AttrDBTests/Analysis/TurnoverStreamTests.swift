import XCTest
@testable import AttrDB

/// `turnover`'s events are streamed checkpoint by checkpoint, their pairs split over two
/// connections: they must be the rows, in the order and with the Doubles, that the masses of every
/// selected checkpoint held at once give.
final class TurnoverStreamTests: XCTestCase {
    /// Over the bundled example: every selection shape (summaries, values over a `--coef` range,
    /// some components), on one connection and split over two.
    func testStreamedEventsEqualTheOnesFromEveryCheckpointsMasses() throws {
        let example = try ExampleStore()
        let selections: [QuerySelection] = [
            QuerySelection(), QuerySelection(checkpoints: .every(4)), QuerySelection(checkpoints: .range(100, 3000)),
            QuerySelection(coefficients: .range(-1, 1)), QuerySelection(components: ComponentFilter(kinds: [.attnHead])),
        ]
        var compared = 0
        for selection in selections {
            let resolved = try example.resolved(selection)
            for cutoff in [0.01, 0.05, 0.2] {
                let held = Turnover.events(try ComponentMasses(resolved), cutoff: cutoff)
                for minimumBytes in [ParallelCheckpoints.minimumBytes, 0] {
                    let streamed = try Turnover.events(resolved, cutoff: cutoff, minimumBytes: minimumBytes)
                    XCTAssertEqual(streamed.rows, held.rows, "\(selection) cutoff \(cutoff), split \(minimumBytes == 0)")
                }
                compared += held.rows.count
            }
        }
        // The comparison means something only if components did cross.
        XCTAssertGreaterThan(compared, 100)
    }

    /// Three components whose masses (each spread evenly over 16 coefficients, so every sum is
    /// exact) make the edges: a checkpoint whose total is 0, shares exactly at the cut-off, events
    /// at the first and the last pair, and at the pair where two connections split the work.
    func testEdgesOfTheStream() throws {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        let components = [Component(label: "a", layer: 0, kind: .mlp), Component(label: "b", layer: 1, kind: .mlp), Component(label: "c", layer: 2, kind: .mlp)]
        let grid = (0..<16).map { Double($0) / 8 - 1 }
        let masses: [[Float]] = [[1, 1, 2], [0, 0, 0], [1, 3, 0], [1, 3, 0], [0, 1, 3], [1, 1, 2], [1, 1, 2], [3, 1, 0]]
        let recorder = try Recorder(store: store, target: IngestTarget(run: "edges", metric: "m"), components: components, coefficients: grid)
        for (i, row) in masses.enumerated() {
            try recorder.append(step: i * 10, values: row.flatMap { mass in (0..<16).map { k in (k % 2 == 0 ? 1 : -1) * mass / 16 } })
        }
        try recorder.commit()

        func row(_ step: Int, _ component: Int, _ event: TurnoverEventRow.Event, _ before: Double, _ after: Double) -> TurnoverEventRow {
            TurnoverEventRow(step: step, previousStep: step - 10, component: components[component], event: event, shareBefore: before, shareAfter: after)
        }
        let expected = [
            // Into a total of 0: every share is 0, so all three leave, a and b from exactly the cut-off.
            row(10, 0, .exit, 0.25, 0), row(10, 1, .exit, 0.25, 0), row(10, 2, .exit, 0.5, 0),
            // Out of it: a enters at exactly the cut-off.
            row(20, 0, .enter, 0, 0.25), row(20, 1, .enter, 0, 0.75),
            // The first pair of the second half (7 pairs split 3 + 4): b stays at or above, and is no event.
            row(40, 0, .exit, 0.25, 0), row(40, 2, .enter, 0, 0.75),
            row(50, 0, .enter, 0, 0.25),
            // The last pair: a rises from the cut-off (no event), c leaves.
            row(70, 2, .exit, 0.5, 0),
        ]
        let scan = try ScanSelection(store: store, run: "edges")
        // Over the whole grid from the summaries; over half of it (-1 to -0.125) from the values, the same shares.
        for selection in [QuerySelection(), QuerySelection(coefficients: .range(-1, -0.125))] {
            let resolved = try ResolvedSelection(scan: scan, selection: selection)
            XCTAssertEqual(ComponentMasses.fromSummaries(resolved), selection.coefficients == .all)
            for minimumBytes in [ParallelCheckpoints.minimumBytes, 0] {
                XCTAssertEqual(try Turnover.events(resolved, cutoff: 0.25, minimumBytes: minimumBytes).rows, expected,
                               "\(selection.coefficients), split \(minimumBytes == 0)")
            }
            XCTAssertEqual(Turnover.events(try ComponentMasses(resolved), cutoff: 0.25).rows, expected)
        }
    }

    /// The command writes the events row by row from their typed rows: every text format's bytes
    /// are those of the table ``QueryRequest/tables(_:in:note:)`` answers.
    func testWrittenEventsAreTheTablesBytesInEveryFormat() throws {
        let example = try ExampleStore()
        let folder = try TemporaryFolder()
        let request = QueryRequest.turnover(cutoff: 0.05, summary: false)
        let selection = QuerySelection(runs: ["modadd"])
        let tables = try request.tables(selection, in: example.store)
        XCTAssertGreaterThan(tables[0].table.rows.count, 10)
        for format in [OutputFormat.csv, .tsv, .json, .jsonl, .markdown, .latex, .table] {
            let expected = folder.path("expected"), written = folder.path("written")
            try TableOutput(format: format, path: expected, isTerminal: false).write(byRun: tables)
            try request.write(selection, in: example.store, to: TableOutput(format: format, path: written, isTerminal: false))
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: written)), try Data(contentsOf: URL(fileURLWithPath: expected)), "\(format)")
        }
    }
}
