import Foundation
import XCTest
@testable import AttrDB

/// Issue 13 §1: `capacity --by layer` (and `--by kind` where the kinds are whole layers) over a
/// `--coef` range answers from the per-(layer, coefficient) sums kept at ingest, equal to the value
/// scan to 1e-12 relative for every mass mode; a component filter that keeps part of a layer, or a
/// kind sharing a layer with another, reads the values.
final class LayerRangeSumsTests: XCTestCase {
    /// Capacity from the sums (``LayerRangeSums``, which must answer) against capacity from the values.
    private func assertSumsAgree(_ resolved: ResolvedSelection, by grouping: Capacity.Grouping, mode: MassMode,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let sums = try XCTUnwrap(try LayerRangeSums(resolved, statistic: mode.statistic), "the sums answer", file: file, line: line)
        let fromSums = try XCTUnwrap(Capacity(sums, by: grouping), "\(grouping) is made of whole layers", file: file, line: line)
        let fromValues = Capacity(try ComponentMasses(resolved, mode: mode, summaries: false), by: grouping)
        // And the public entry answers the same (from the sums, or the totals over the whole grid).
        let answered = try Capacity(resolved, mode: mode, by: grouping)
        XCTAssertEqual(fromSums.rows.map(\.group), fromValues.rows.map(\.group), file: file, line: line)
        XCTAssertEqual(fromSums.rows.map(\.step), fromValues.rows.map(\.step), file: file, line: line)
        XCTAssertEqual(answered.rows.map(\.group), fromValues.rows.map(\.group), file: file, line: line)
        for (a, b) in Array(zip(fromSums.rows, fromValues.rows)) + Array(zip(answered.rows, fromValues.rows)) {
            XCTAssertLessThanOrEqual(abs(a.mass - b.mass), 1e-12 * max(abs(a.mass), abs(b.mass)), "\(mode) \(grouping) mass \(a) vs \(b)", file: file, line: line)
            XCTAssertLessThanOrEqual(abs(a.share - b.share), 1e-12 * max(abs(a.share), abs(b.share)), "\(mode) \(grouping) share \(a) vs \(b)", file: file, line: line)
        }
        // The wide form gives the same shares.
        let wide = try CapacityWide(resolved, mode: mode, by: grouping)
        XCTAssertEqual(Array(wide.rows.map(\.shares).joined()).count, fromValues.rows.count, file: file, line: line)
        for (a, b) in zip(wide.rows.map(\.shares).joined(), fromValues.rows) {
            XCTAssertLessThanOrEqual(abs(a - b.share), 1e-12 * max(abs(a), abs(b.share)), file: file, line: line)
        }
    }

    func testCapacityByLayerOverACoefRangeEqualsTheValueScanOnRealData() throws {
        let example = try ExampleStore()
        let grid = try ScanSelection(store: example.store, run: "modadd").coefficients
        let ranges: [CoefficientSelection] = [
            .range(-1, 1),
            .nearest(0),                            // one coefficient
            .range(grid[5], grid[5]),               // one coefficient, as a range
            .range(nil, nil),                       // the whole grid
            .range(grid[0], grid[grid.count - 2]),  // all but the last
        ]
        for coefficients in ranges {
            for checkpoints in [CheckpointSelection.all, .every(5)] {
                let resolved = try example.resolved(QuerySelection(checkpoints: checkpoints, coefficients: coefficients))
                for mode in MassMode.allCases {
                    try assertSumsAgree(resolved, by: .layer, mode: mode)
                }
            }
        }
        // A filter that keeps whole layers is answered from their sums, shares of the kept layers' total.
        for layers in [[0], [1, -1]] {
            let kept = try example.resolved(QuerySelection(checkpoints: .every(3), coefficients: .range(-2, 0.5), components: ComponentFilter(layers: layers)))
            for mode in MassMode.allCases { try assertSumsAgree(kept, by: .layer, mode: mode) }
        }
        // modadd's layers hold heads and an MLP together: --by kind needs the component masses.
        let resolved = try example.resolved(QuerySelection(coefficients: .range(-1, 1)))
        let sums = try XCTUnwrap(try LayerRangeSums(resolved, statistic: .abs))
        XCTAssertNil(sums.layerIndexes(of: try XCTUnwrap(Capacity.groups(sums.layers, by: .kind))))
        XCTAssertNil(sums.layerIndexes(of: Capacity.groupsOf(try resolved.scan.components, by: .component)))
        let byKind = try Capacity(resolved, by: .kind)
        XCTAssertEqual(byKind.rows, Capacity(try ComponentMasses(resolved, mode: .absolute, summaries: false), by: .kind).rows)
    }

    func testTheSumsAreWhatIsReadAndAComponentFilterReadsTheValues() throws {
        let example = try ExampleStore()
        let resolved = try example.resolved(QuerySelection(coefficients: .range(-1, 1)))
        let before = try Capacity(resolved, by: .layer)
        // Zero the first matrix's |v| layer sums: the answer moves for that checkpoint only.
        try example.store.connection.execute("UPDATE attribution_summary SET layers = zeroblob(length(layers)) WHERE statistic = 'abs' AND attribution_id = (SELECT min(attribution_id) FROM attribution)")
        let after = try Capacity(resolved, by: .layer)
        let firstStep = resolved.steps[0]
        XCTAssertEqual(Set(after.rows.filter { $0.step == firstStep }.map(\.mass)), [0])
        XCTAssertEqual(after.rows.filter { $0.step != firstStep }, before.rows.filter { $0.step != firstStep })
        // A filter that keeps part of a layer needs the values (the tampered sums play no part).
        let filtered = try example.resolved(QuerySelection(coefficients: .range(-1, 1), components: ComponentFilter(labels: ["L0H1", "L1H2", "embed"])))
        XCTAssertNil(try LayerRangeSums(filtered, statistic: .abs))
        let capacity = try Capacity(filtered, by: .layer)
        XCTAssertEqual(capacity.rows, Capacity(try ComponentMasses(filtered, mode: .absolute, summaries: false), by: .layer).rows)
        XCTAssertTrue(capacity.rows.contains { $0.step == firstStep && $0.mass > 0 })
        // A matrix without sums sends the whole query to the values.
        try example.store.connection.execute("DELETE FROM attribution_summary WHERE statistic = 'abs' AND attribution_id = (SELECT min(attribution_id) FROM attribution)")
        XCTAssertNil(try LayerRangeSums(resolved, statistic: .abs))
        XCTAssertEqual(try Capacity(resolved, by: .layer).rows, Capacity(try ComponentMasses(resolved, mode: .absolute, summaries: false), by: .layer).rows)
    }

    func testARangeBetweenGridPointsSelectsNothingAsBefore() throws {
        let example = try ExampleStore()
        let grid = try ScanSelection(store: example.store, run: "modadd").coefficients
        let between = (grid[3] + grid[4]) / 2
        XCTAssertThrowsError(try example.resolved(QuerySelection(coefficients: .range(between, between)))) { error in
            XCTAssertTrue("\(error)".contains("selects no coefficient"), "\(error)")
        }
    }

    /// Synthetic: layers each of one kind (so --by kind is answered too) and a layer shared by two
    /// kinds (so it is not), many checkpoints, values of both signs over six orders of magnitude.
    func testSyntheticLayersAndKindsOverRanges() throws {
        for sharedEmbed in [false, true] {
            let folder = try TemporaryFolder()
            let store = try Store(path: folder.path("s.sqlite"), access: .create)
            var comps = [Component(label: "embed", layer: -1, kind: .embed)]
            if sharedEmbed { comps.append(Component(label: "pos_embed", layer: -1, kind: .posEmbed)) }
            for layer in 0..<3 {
                comps += (0..<7).map { (n: Int) in Component(label: "L\(layer)N\(n)", layer: layer, kind: .neuron, index: n) }
            }
            comps.append(Component(label: "bias", layer: 3, kind: .bias))
            let grid = (0..<33).map { Double($0) / 4 - 4 }
            var generator = SeededGenerator(seed: 7)
            do {
                let r = try Recorder(store: store, target: IngestTarget(run: "syn", metric: "m"), components: comps, coefficients: grid)
                for step in stride(from: 0, through: 90, by: 10) {
                    try r.append(step: step, values: (0..<(comps.count * grid.count)).map { i in
                        Float.random(in: -1...1, using: &generator) * pow(10, Float(i % 6) - 3)
                    })
                }
                try r.commit()
            }
            XCTAssertEqual(try StoreCheck.run(store).problems, 0)
            for coefficients in [CoefficientSelection.range(-1, 1), .nearest(2.3), .range(nil, nil), .range(-4, -3.9)] {
                let resolved = try ResolvedSelection(scan: ScanSelection(store: store, run: "syn"), selection: QuerySelection(coefficients: coefficients))
                for mode in MassMode.allCases {
                    try assertSumsAgree(resolved, by: .layer, mode: mode)
                    if !sharedEmbed { try assertSumsAgree(resolved, by: .kind, mode: mode) }
                }
                // --kind neuron keeps layers 0-2 whole; --kind embed keeps layer -1 whole only without pos_embed.
                let neurons = try ResolvedSelection(scan: ScanSelection(store: store, run: "syn"),
                                                    selection: QuerySelection(coefficients: coefficients, components: ComponentFilter(kinds: [.neuron, .bias])))
                try assertSumsAgree(neurons, by: .layer, mode: .signed)
                try assertSumsAgree(neurons, by: .kind, mode: .squared)
                let embed = try ResolvedSelection(scan: ScanSelection(store: store, run: "syn"),
                                                  selection: QuerySelection(coefficients: coefficients, components: ComponentFilter(kinds: [.embed])))
                if sharedEmbed {
                    XCTAssertNil(try LayerRangeSums(embed, statistic: .abs), "embed is half of layer -1")
                } else {
                    try assertSumsAgree(embed, by: .layer, mode: .absolute)
                }
                if sharedEmbed {
                    let sums = try XCTUnwrap(try LayerRangeSums(resolved, statistic: .abs))
                    XCTAssertNil(sums.layerIndexes(of: try XCTUnwrap(Capacity.groups(sums.layers, by: .kind))), "embed and pos_embed share layer -1")
                }
            }
        }
    }
}
