import Foundation
import XCTest
@testable import AttrDB

/// Issue 13 §1: the totals kept at ingest (schema/0006_summary_totals.sql). `capacity --by
/// layer|kind` and `concentration` over every component and the whole grid answer from them with
/// the very Doubles the values give; any other selection reads the component sums or the values;
/// `check` finds totals that disagree with their matrix; a store from before them gets them.
final class SummaryTotalsTests: XCTestCase {
    private func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { i in
            i % 13 == 0 ? 0 : Float.random(in: -1...1, using: &generator) * pow(10, Float(i % 5) - 2)
        }
    }

    /// A synthetic run of every kind, 23 checkpoints, 3 layers of neurons plus embed and bias; the
    /// last checkpoint all zeros (no concentration), one checkpoint with a single non-zero component.
    private func syntheticStore(_ folder: TemporaryFolder) throws -> Store {
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        var comps = [Component(label: "embed", layer: -1, kind: .embed), Component(label: "pos_embed", layer: -1, kind: .posEmbed)]
        for layer in 0..<3 {
            comps += (0..<2).map { (head: Int) in Component(label: "L\(layer)H\(head)", layer: layer, kind: .attnHead, index: head) }
            comps.append(Component(label: "\(layer)_mlp_out", layer: layer, kind: .mlp))
            comps += (0..<40).map { (neuron: Int) in Component(label: "L\(layer)N\(neuron)", layer: layer, kind: .neuron, index: neuron) }
        }
        comps.append(Component(label: "bias", layer: 3, kind: .bias))
        let grid = (0..<33).map { Double($0) / 4 - 4 }
        let count = comps.count * grid.count
        let r = try Recorder(store: store, target: IngestTarget(run: "syn", metric: "m"), components: comps, coefficients: grid)
        for i in 0..<21 { try r.append(step: i * 10, values: values(count, seed: UInt64(i + 1))) }
        var single = [Float](repeating: 0, count: count)
        single[5 * grid.count + 3] = -2.5
        try r.append(step: 210, values: single)
        try r.append(step: 220, values: [Float](repeating: 0, count: count))
        try r.commit()
        return store
    }

    private let selections: [QuerySelection] = [
        QuerySelection(),
        QuerySelection(checkpoints: .every(3)),
        QuerySelection(checkpoints: .last),
        QuerySelection(checkpoints: .range(nil, 100)),
        // These do not keep every component or the whole grid: they read component sums or values.
        QuerySelection(components: ComponentFilter(layers: [0, 2])),
        QuerySelection(components: ComponentFilter(kinds: [.attnHead, .embed])),
        QuerySelection(coefficients: .range(-1, 1)),
    ]

    private func assertEqual(_ a: Double?, _ b: Double?, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let a, let b else { return XCTAssertEqual(a == nil, b == nil, message, file: file, line: line) }
        if a.isNaN || b.isNaN { return XCTAssertEqual(a.isNaN, b.isNaN, message, file: file, line: line) }
        XCTAssertLessThanOrEqual(abs(a - b), 1e-12 * max(abs(a), abs(b)), "\(a) vs \(b) \(message)", file: file, line: line)
    }

    /// Every answer equals the one computed from the values (ComponentMasses with summaries off).
    private func assertAnswersEqualTheValueScan(_ store: Store, run: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for selection in selections {
            let resolved = try ResolvedSelection(scan: ScanSelection(store: store, run: run), selection: selection)
            for mode in MassMode.allCases {
                let scanned = try ComponentMasses(resolved, mode: mode, summaries: false)
                for grouping in Capacity.Grouping.allCases {
                    let fast = try Capacity(resolved, mode: mode, by: grouping), slow = Capacity(scanned, by: grouping)
                    XCTAssertEqual(fast.rows.map(\.step), slow.rows.map(\.step), file: file, line: line)
                    XCTAssertEqual(fast.rows.map(\.group), slow.rows.map(\.group), file: file, line: line)
                    for (a, b) in zip(fast.rows, slow.rows) {
                        assertEqual(a.mass, b.mass, "\(mode) \(grouping) \(selection) mass", file: file, line: line)
                        assertEqual(a.share, b.share, "\(mode) \(grouping) \(selection) share", file: file, line: line)
                    }
                    let wide = try CapacityWide(resolved, mode: mode, by: grouping), slowWide = CapacityWide(scanned, by: grouping)
                    XCTAssertEqual(wide.groups, slowWide.groups, file: file, line: line)
                    for (a, b) in zip(wide.rows.flatMap(\.shares), slowWide.rows.flatMap(\.shares)) {
                        assertEqual(a, b, "wide \(mode) \(grouping) \(selection)", file: file, line: line)
                    }
                }
            }
            let scanned = try ComponentMasses(resolved, mode: .absolute, summaries: false)
            let compared = try Comparison.capacity(resolved, resolved, alignment: .exact).rows
            let comparedSlow = Comparison.capacity(scanned, scanned, alignment: .exact).rows
            XCTAssertEqual(compared.map(\.layer), comparedSlow.map(\.layer), file: file, line: line)
            XCTAssertEqual(compared.map(\.stepA), comparedSlow.map(\.stepA), file: file, line: line)
            for (a, b) in zip(compared, comparedSlow) {
                assertEqual(a.shareA, b.shareA, "compare \(selection)", file: file, line: line)
                assertEqual(a.shareB, b.shareB, "compare \(selection)", file: file, line: line)
            }
            for k in [0, 1, 10, 64, 65, 1000] {
                let fast = try ConcentrationTable(resolved, top: k), slow = ConcentrationTable(scanned, top: k)
                XCTAssertEqual(fast.rows.map(\.step), slow.rows.map(\.step), file: file, line: line)
                for (a, b) in zip(fast.rows, slow.rows) {
                    assertEqual(a.entropy, b.entropy, "entropy top \(k) \(selection)", file: file, line: line)
                    assertEqual(a.effectiveComponents, b.effectiveComponents, "effective top \(k) \(selection)", file: file, line: line)
                    assertEqual(a.gini, b.gini, "gini top \(k) \(selection)", file: file, line: line)
                    assertEqual(a.topShare, b.topShare, "top \(k) share \(selection)", file: file, line: line)
                }
            }
        }
    }

    func testAnswersFromTotalsEqualTheValueScanOnRealData() throws {
        let example = try ExampleStore()
        try assertAnswersEqualTheValueScan(example.store, run: "modadd")
    }

    func testAnswersFromTotalsEqualTheValueScanOnSyntheticData() throws {
        let folder = try TemporaryFolder()
        let store = try syntheticStore(folder)
        try assertAnswersEqualTheValueScan(store, run: "syn")
        let all = try ResolvedSelection(scan: ScanSelection(store: store, run: "syn"), selection: QuerySelection())
        let rows = try ConcentrationTable(all, top: 5).rows
        XCTAssertNil(rows.last?.entropy, "all zeros: no measures")
        XCTAssertEqual(rows[rows.count - 2].gini, Double(all.scan.layers.count - 1) / Double(all.scan.layers.count))
        XCTAssertEqual(rows[rows.count - 2].topShare, 1)
    }

    /// The whole-grid answers really come from the totals: change one, and capacity by layer and
    /// concentration move, while a component filter (component sums) does not.
    func testWholeGridAnswersReadTheTotals() throws {
        let example = try ExampleStore()
        let all = try example.resolved()
        let first = all.scan.checkpoints[all.checkpoints[0]].attributionID
        let before = try Capacity(all, by: .layer).rows
        let concentration = try ConcentrationTable(all, top: 3).rows
        let filtered = try example.resolved(QuerySelection(components: ComponentFilter(layers: [0])))
        let filteredBefore = try Capacity(filtered, by: .layer).rows
        let compared = try Comparison.capacity(all, all, alignment: .exact).rows
        try example.store.connection.execute("""
            UPDATE summary_totals SET sums = CAST(x'0000000000005940' || substr(sums, 9) AS BLOB), entropy = 0.5
            WHERE statistic = 'abs' AND attribution_id = \(first)
            """)
        let after = try Capacity(all, by: .layer).rows
        XCTAssertEqual(after.filter { $0.step == before[0].step }.map(\.share), before.filter { $0.step == before[0].step }.map { $0.mass / 100 })
        XCTAssertEqual(after.filter { $0.step != before[0].step }, before.filter { $0.step != before[0].step })
        XCTAssertEqual(try ConcentrationTable(all, top: 3).rows.first?.entropy, 0.5)
        XCTAssertEqual(try ConcentrationTable(all, top: 3).rows.dropFirst(), concentration.dropFirst())
        XCTAssertEqual(try Capacity(filtered, by: .layer).rows, filteredBefore)
        let comparedAfter = try Comparison.capacity(all, all, alignment: .exact).rows
        XCTAssertEqual(comparedAfter.filter { $0.stepA == before[0].step }.map(\.shareA),
                       after.filter { $0.step == before[0].step }.map(\.share), "compare reads the same totals")
        XCTAssertEqual(comparedAfter.filter { $0.stepA != before[0].step }, compared.filter { $0.stepA != before[0].step })
    }

    func testCheckNamesTamperedAndMissingTotals() throws {
        let example = try ExampleStore()
        let db = example.store.connection
        try db.execute("UPDATE summary_totals SET sums = CAST(substr(sums, 1, 8) || x'000000000000f03f' || substr(sums, 17) AS BLOB) WHERE statistic = 'squared' AND attribution_id = 2")
        try db.execute("UPDATE summary_totals SET gini = 0.25 WHERE statistic = 'abs' AND attribution_id = 3")
        try db.execute("DELETE FROM summary_totals WHERE statistic = 'signed' AND attribution_id = 1")
        let (table, problems) = try StoreCheck.run(example.store)
        XCTAssertEqual(problems, 3)
        let details = table.rows.filter { $0[0] == .text("summaries") && $0[1] == .text("problem") }.compactMap { row -> String? in
            if case .text(let text) = row[2] { return text }
            return nil
        }
        XCTAssertEqual(details.count, 3)
        XCTAssertTrue(details[0].hasSuffix("(attribution 1): no 'signed' totals"), details[0])
        let layer = try XCTUnwrap(try ScanSelection(store: example.store, run: "modadd").components.map(\.layer).min())
        XCTAssertTrue(details[1].contains("(attribution 2): the 'squared' total of layer \(layer) is 1.0 in the totals, the matrix gives "), details[1])
        XCTAssertTrue(details[2].contains("(attribution 3): the 'abs' concentration figures are entropy "), details[2])
        XCTAssertTrue(details[2].contains("gini 0.25"), details[2])
    }

    /// A store of schema 5 (component sums and per-(layer, coefficient) sums, no totals) upgrades
    /// to totals computed from its component sums: the very rows ingest writes today.
    func testAStoreWithSummariesButNoTotalsGetsThemWhenUpgraded() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        var expected: [[UInt8]] = []
        func totals(_ db: Connection) throws -> [[UInt8]] {
            var rows: [[UInt8]] = []
            try db.forEachRow("SELECT attribution_id, statistic, n_layers, sums, entropy, gini, largest FROM summary_totals ORDER BY attribution_id, statistic") {
                rows.append(Array("\($0.value(at: 0)) \($0.value(at: 1)) \($0.value(at: 2)) \($0.value(at: 3)) \($0.value(at: 4)) \($0.value(at: 5)) \($0.value(at: 6))".utf8))
            }
            return rows
        }
        do {
            let store = try syntheticStore(folder)
            expected = try totals(store.connection)
            XCTAssertEqual(expected.count, 23 * 3)
            // Back to schema 5's tables: no totals (attribution_summary, per-layer sums included, is as it was).
            try store.connection.execute("""
                DROP TABLE summary_totals;
                PRAGMA user_version = 5;
                """)
        }
        let store = try Store(path: path, access: .write)
        XCTAssertEqual(try store.schemaVersion(), Migration.latestVersion)
        XCTAssertEqual(try totals(store.connection), expected)
        var columns: [String] = []
        try store.connection.forEachRow("SELECT name FROM pragma_table_info('attribution_summary')") { columns.append($0.string(at: 0)) }
        // The per-(layer, coefficient) sums are kept, and still the matrices' (check verifies them).
        XCTAssertEqual(columns, ["summary_id", "attribution_id", "statistic", "n_components", "n_layers", "n_coefficients", "layers", "components"])
        XCTAssertEqual(try StoreCheck.run(store).problems, 0)
    }
}
