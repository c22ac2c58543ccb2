import Foundation
import XCTest
@testable import AttrDB

/// Issue 13 §1: the summaries kept at ingest (schema/0004_summaries.sql). Every write path stores
/// them, an older store gets them when upgraded, queries over the whole grid answer from them with
/// the very numbers the values give, and `check` finds a summary that disagrees with its matrix.
final class SummaryTests: XCTestCase {
    /// Seeded values with both signs, zeros and a spread of magnitudes.
    private func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { i in
            i % 17 == 0 ? 0 : Float.random(in: -1...1, using: &generator) * pow(10, Float(i % 7) - 3)
        }
    }

    func testComponentSumsAreTheReductionQueriesComputeAndTotalsAddUpAsCapacityDoes() throws {
        let layers = [-1, 0, 0, 3, 1, 3, 4]
        let kinds: [ComponentKind] = [.embed, .attnHead, .mlp, .neuron, .attnHead, .neuron, .bias]
        let n = 37  // not a multiple of 4: the tail of the unrolled loop too
        let layout = SummaryLayout(layers: layers, kinds: kinds, coefficients: n, encoding: .float64)
        XCTAssertEqual(layout.layers, [-1, 0, 1, 3, 4])
        let matrix = values(layers.count * n, seed: 3)
        let summary = matrix.withUnsafeBufferPointer { MatrixSummary($0, layout: layout) }
        for (mode, statistic) in [(MassMode.absolute, SummaryStatistic.abs), (.signed, .signed), (.squared, .squared)] {
            var reduced: [Double] = []
            for p in layers.indices {
                reduced.append(matrix.withUnsafeBufferPointer { ComponentMasses.reduce(UnsafeBufferPointer(rebasing: $0[(p * n)..<(p * n + n)]), mode) })
                XCTAssertEqual(summary.components[statistic.index][p].bitPattern, reduced[p].bitPattern, "\(statistic) component \(p)")
            }
            // Each layer's sum at each coefficient adds the layer's components in position order.
            for (l, layer) in layout.layers.enumerated() {
                for j in 0..<n {
                    var expected = 0.0
                    for p in layers.indices where layers[p] == layer {
                        let v = Double(matrix[p * n + j])
                        expected += statistic == .abs ? abs(v) : statistic == .signed ? v : v * v
                    }
                    XCTAssertEqual(summary.layers[statistic.index][l * n + j].bitPattern, expected.bitPattern, "\(statistic) layer \(layer) coefficient \(j)")
                }
            }
            // Each total is the sum a capacity group adds, in the same order: the same bits.
            let totals = summary.totals[statistic.index]
            XCTAssertEqual(totals.total.bitPattern, reduced.reduce(0, +).bitPattern)
            for (l, layer) in layout.layers.enumerated() {
                let expected = layers.indices.filter { layers[$0] == layer }.reduce(0.0) { $0 + reduced[$1] }
                XCTAssertEqual(totals.layers[l].bitPattern, expected.bitPattern, "\(statistic) layer \(layer)")
            }
            for (k, kind) in ComponentKind.allCases.enumerated() {
                let expected = kinds.indices.filter { kinds[$0] == kind }.reduce(0.0) { $0 + reduced[$1] }
                XCTAssertEqual(totals.kinds[k].bitPattern, expected.bitPattern, "\(statistic) kind \(kind)")
            }
            // Concentration's figures are kept for |v| only, and are Concentration's own numbers.
            if statistic == .abs {
                let measured = try Concentration(masses: reduced)
                let figures = try XCTUnwrap(totals.concentration)
                XCTAssertEqual(figures.entropy.bitPattern, measured.entropy.bitPattern)
                XCTAssertEqual(figures.gini.bitPattern, measured.gini.bitPattern)
                XCTAssertEqual(figures.largest, reduced.sorted(by: >))
                for k in 0...layers.count + 1 {
                    XCTAssertEqual(ShareMeasures.topShare(largestFirst: figures.largest.prefix(k), total: totals.total).bitPattern,
                                   measured.topShare(k).bitPattern, "top \(k)")
                }
            } else {
                XCTAssertNil(totals.concentration)
            }
        }
        // Masses that cannot be shared out (all 0) keep no figures: concentration has none for them.
        let zeros = [Float](repeating: 0, count: layers.count * n)
        XCTAssertNil(zeros.withUnsafeBufferPointer { MatrixSummary($0, layout: layout) }.totals[0].concentration)
    }

    private func components(_ layers: [Int]) -> [Component] {
        layers.enumerated().map { Component(label: "L\($1)H\($0)", layer: $1, kind: .attnHead, index: $0) }
    }

    private func summaryCount(_ store: Store) throws -> Int {
        Int(try store.connection.scalar("SELECT count(*) FROM attribution_summary")?.int64 ?? -1)
    }

    func testRecorderAndReplaceWriteSummariesAndShortGridsKeepNone() throws {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        let grid = (0..<20).map(Double.init)
        let comps = components([0, 0, 1])
        do {
            let r = try Recorder(store: store, target: IngestTarget(run: "r", metric: "m"), components: comps, coefficients: grid)
            try r.append(step: 1, values: values(60, seed: 1))
            try r.append(step: 2, values: values(60, seed: 2))
            try r.commit()
        }
        XCTAssertEqual(try summaryCount(store), 6)
        XCTAssertEqual(try StoreCheck.run(store).problems, 0)
        let before = try StoredSummaries.stored(store.connection, attributionID: 1, encoding: .float64)[.abs]?.components
        do {
            let r = try Recorder(store: store, target: IngestTarget(run: "r", metric: "m"), components: comps, coefficients: grid,
                                 options: IngestOptions(replace: true))
            try r.append(step: 1, values: values(60, seed: 9))
            try r.commit()
        }
        XCTAssertEqual(try summaryCount(store), 6, "--replace replaces the summaries, it does not add more")
        XCTAssertNotEqual(try StoredSummaries.stored(store.connection, attributionID: 1, encoding: .float64)[.abs]?.components, before)
        XCTAssertEqual(try StoreCheck.run(store).problems, 0, "the replaced matrix's summaries are its new values'")
        // One coefficient: the matrix is smaller than its summaries would be, so none are kept.
        do {
            let r = try Recorder(store: store, target: IngestTarget(run: "single", metric: "m"), components: comps, coefficients: [0])
            try r.append(step: 1, values: [1, 2, 3])
            try r.commit()
        }
        XCTAssertEqual(try summaryCount(store), 6)
        try store.deleteRun(named: "r")
        XCTAssertEqual(try summaryCount(store), 0, "delete removes a run's summaries with it")
    }

    /// Both paths, on the same selections: masses from the summaries equal those from the values.
    private func assertPathsAgree(_ store: Store, run: String, selections: [QuerySelection], file: StaticString = #filePath, line: UInt = #line) throws {
        for selection in selections {
            let resolved = try ResolvedSelection(scan: ScanSelection(store: store, run: run), selection: selection)
            for mode in MassMode.allCases {
                let summed = try ComponentMasses(resolved, mode: mode, summaries: true)
                let scanned = try ComponentMasses(resolved, mode: mode, summaries: false)
                XCTAssertEqual(summed.steps, scanned.steps, file: file, line: line)
                XCTAssertEqual(summed.components, scanned.components, file: file, line: line)
                XCTAssertEqual(summed.masses.count, scanned.masses.count, file: file, line: line)
                for (a, b) in zip(summed.masses.joined(), scanned.masses.joined()) {
                    XCTAssertLessThanOrEqual(abs(a - b), 1e-12 * max(abs(a), abs(b)), "\(mode) \(selection)", file: file, line: line)
                }
            }
        }
    }

    private let selections: [QuerySelection] = [
        QuerySelection(),
        QuerySelection(checkpoints: .every(4)),
        QuerySelection(checkpoints: .last, components: ComponentFilter(layers: [0])),
        QuerySelection(checkpoints: .range(nil, 400), components: ComponentFilter(kinds: [.attnHead, .mlp])),
        QuerySelection(components: ComponentFilter(labels: ["L0H1", "embed"])),
    ]

    func testMassesFromSummariesEqualTheValueScanOnRealData() throws {
        let example = try ExampleStore()
        try assertPathsAgree(example.store, run: "modadd", selections: selections)
        // And the query really reads the summaries: change one, and the whole-grid answer moves
        // while a --coef range (read from the values) does not.
        let all = try example.resolved()
        let before = try ComponentMasses(all).masses
        try example.store.connection.execute("UPDATE attribution_summary SET components = zeroblob(length(components)) WHERE statistic = 'abs' AND attribution_id = (SELECT min(attribution_id) FROM attribution)")
        let after = try ComponentMasses(all).masses
        XCTAssertEqual(after.first.map { Set($0) }, [0])
        XCTAssertEqual(after.dropFirst(), before.dropFirst())
    }

    /// The long-form CSV of the same data goes through the text reader and the prefetch thread: its
    /// summaries are the folder's, bit for bit.
    func testTextIngestStoresTheSameSummariesAsTheFolder() throws {
        let example = try ExampleStore()
        try example.fixture.ingest(Repository.example.appendingPathComponent("attributions.csv").path, run: "csv", metric: "logit_diff")
        func rows(_ run: String) throws -> [[UInt8]] {
            var out: [[UInt8]] = []
            try example.store.connection.forEachRow("""
                SELECT x.layers || x.components FROM attribution_summary x JOIN attribution a USING (attribution_id)
                JOIN checkpoint c USING (checkpoint_id) JOIN run r ON r.run_id = c.run_id WHERE r.name = ? ORDER BY c.step, x.statistic
                """, [.text(run)]) { out.append($0.bytes(at: 0)) }
            return out
        }
        let folder = try rows("modadd")
        XCTAssertEqual(folder.count, 33 * 3)
        XCTAssertEqual(try rows("csv"), folder)
    }

    func testMassesFromSummariesEqualTheValueScanOnSyntheticData() throws {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        // Large enough (> 8 MB of values) that the value scan reads on two connections.
        let layers = [-1, -1] + (0..<4).flatMap { l in Array(repeating: l, count: 200) } + [4]
        let comps = layers.enumerated().map { p, layer in
            p < 2 ? Component(label: p == 0 ? "embed" : "pos_embed", layer: -1, kind: p == 0 ? .embed : .posEmbed)
                : p == layers.count - 1 ? Component(label: "bias", layer: 4, kind: .bias)
                : Component(label: "L\(layer)N\(p)", layer: layer, kind: .neuron, index: p) }
        let grid = (0..<129).map { Double($0) / 8 - 8 }
        let steps = Array(stride(from: 0, through: 550, by: 25))
        do {
            let r = try Recorder(store: store, target: IngestTarget(run: "syn", metric: "m"), components: comps, coefficients: grid)
            for (i, step) in steps.enumerated() { try r.append(step: step, values: values(comps.count * grid.count, seed: UInt64(i + 10))) }
            try r.commit()
        }
        XCTAssertGreaterThan(steps.count * comps.count * grid.count * 4, ParallelCheckpoints.minimumBytes)
        try assertPathsAgree(store, run: "syn", selections: [
            QuerySelection(),
            QuerySelection(checkpoints: .every(3), components: ComponentFilter(layers: [-1, 2])),
            QuerySelection(components: ComponentFilter(kinds: [.bias, .embed])),
        ])
        // A --coef range reads the values, on two connections here, in checkpoint order.
        let ranged = try ResolvedSelection(scan: ScanSelection(store: store, run: "syn"),
                                           selection: QuerySelection(coefficients: .range(-1, 1)))
        let masses = try ComponentMasses(ranged)
        let single = try ComponentMasses(ranged, mode: .absolute, summaries: false)
        XCTAssertEqual(masses.masses, single.masses)
        var buffer = [Float](repeating: 0, count: comps.count * grid.count)
        let reader = try ranged.scan.matrixReader()
        for (i, checkpoint) in ranged.checkpoints.enumerated() {
            try buffer.withUnsafeMutableBufferPointer { try reader.read(checkpoint: checkpoint, into: $0) }
            let r = ranged.coefficients
            let expected = (0..<comps.count).map { p in buffer[(p * grid.count + r.lowerBound)..<(p * grid.count + r.upperBound)].reduce(0.0) { $0 + Double(abs($1)) } }
            for (a, b) in zip(masses.masses[i], expected) { XCTAssertLessThanOrEqual(abs(a - b), 1e-9 * max(a, 1e-30)) }
        }
    }

    func testParallelReadsKeepCheckpointOrderOnTheirOwnConnections() throws {
        let example = try ExampleStore()
        let scan = try ScanSelection(store: example.store, run: "modadd")
        let order = Array(scan.checkpoints.indices.reversed())
        let parts = try ParallelCheckpoints.map(scan, order, bytesPerCheckpoint: ParallelCheckpoints.minimumBytes) { part, indices in
            indices.map { [$0, part.store === example.store ? 0 : 1] }
        }
        XCTAssertEqual(parts.map { $0[0] }, order)
        XCTAssertEqual(Set(parts.map { $0[1] }), [0, 1], "the second half is read through a second connection")
    }

    /// A store the landed main wrote (schema version 2, Tests/fixtures/schema2-store.sqlite.gz) gets
    /// its summaries when opened to write, and answers from them as from its values.
    func testUpgradeComputesTheSummariesOfAStoreFromBeforeThem() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("old.sqlite")
        _ = try python("""
            import gzip, shutil, sys
            with gzip.open(sys.argv[1]) as f, open(sys.argv[2], 'wb') as out: shutil.copyfileobj(f, out)
            """, arguments: [Repository.root.appendingPathComponent("Tests/fixtures/schema2-store.sqlite.gz").path, path])
        XCTAssertEqual(try Migrator.version(of: try Connection(path: path, access: .readOnly)), 2)
        let store = try Store(path: path, access: .write)
        XCTAssertEqual(try store.schemaVersion(), Migration.latestVersion)
        XCTAssertEqual(try summaryCount(store), 12, "4 matrices of 20 coefficients, 3 statistics each; the 1-coefficient run keeps none")
        XCTAssertEqual(try StoreCheck.run(store).problems, 0)
        try assertPathsAgree(store, run: "scan", selections: selections.prefix(2) + [QuerySelection(components: ComponentFilter(layers: [0]))])
        // The values against the source arrays (numpy), so the migration summarised the right bytes.
        let masses = try ComponentMasses(try ResolvedSelection(scan: ScanSelection(store: store, run: "scan"), selection: QuerySelection()), mode: .squared)
        let oracle = try python("""
            import numpy as np, sys
            a = np.load(sys.argv[1]).astype(np.float64)
            print(' '.join(repr(float(x)) for x in (a * a).sum(axis=1).ravel()))
            """, arguments: [Repository.root.appendingPathComponent("Tests/fixtures/schema2-src/scan/attributions.npy").path])
        let expected = oracle.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(expected.count, 28)
        for (a, b) in zip(masses.masses.joined(), expected) { XCTAssertLessThanOrEqual(abs(a - b), 1e-12 * b) }
    }

    /// The per-(layer, coefficient) sums are checked too: one changed sum is named by its layer and
    /// coefficient position.
    func testCheckNamesATamperedLayerSum() throws {
        let example = try ExampleStore()
        let layers = Array(Set(try StoredSummaries.runLayout(example.store.connection, runID: 1).layers)).sorted()
        let n = Int(try example.store.connection.scalar("SELECT n_coefficients FROM attribution WHERE attribution_id = 1")?.int64 ?? 0)
        // The second layer's sum at coefficient position 3: bytes 8 · (n + 3) onwards.
        try example.store.connection.execute("""
            UPDATE attribution_summary SET layers = CAST(substr(layers, 1, \(8 * (n + 3))) || x'000000000000f03f' || substr(layers, \(8 * (n + 4) + 1)) AS BLOB)
            WHERE statistic = 'squared' AND attribution_id = 1
            """)
        let (table, problems) = try StoreCheck.run(example.store)
        XCTAssertEqual(problems, 1)
        let details = table.rows.filter { $0[0] == .text("summaries") && $0[1] == .text("problem") }.map { $0[2] }
        guard case .text(let tampered) = details.first else { return XCTFail("no detail") }
        XCTAssertTrue(tampered.hasPrefix("run modadd, scan default, metric logit_diff, checkpoint step 0 (attribution 1): the 'squared' sum of layer \(layers[1]) at coefficient position 3 is 1.0 in the summary, the matrix gives "), tampered)
    }

    func testCheckNamesTheMatrixWhoseSummaryWasTampered() throws {
        let example = try ExampleStore()
        try example.store.connection.execute("""
            UPDATE attribution_summary SET components = CAST(x'000000000000f03f' || substr(components, 9) AS BLOB)
            WHERE statistic = 'signed' AND attribution_id = (SELECT a.attribution_id FROM attribution a JOIN checkpoint c USING (checkpoint_id) ORDER BY c.step DESC LIMIT 1)
            """)
        try example.store.connection.execute("DELETE FROM attribution_summary WHERE statistic = 'squared' AND attribution_id = 1")
        let (table, problems) = try StoreCheck.run(example.store)
        XCTAssertEqual(problems, 2)
        let details = table.rows.filter { $0[0] == .text("summaries") && $0[1] == .text("problem") }.map { $0[2] }
        let last = try example.store.connection.scalar("SELECT max(step) FROM checkpoint")?.int64 ?? -1
        let lastID = try example.store.connection.scalar("SELECT attribution_id FROM attribution JOIN checkpoint USING (checkpoint_id) WHERE step = \(last)")?.int64 ?? -1
        XCTAssertEqual(details.count, 2)
        XCTAssertEqual(details.first, .text("run modadd, scan default, metric logit_diff, checkpoint step 0 (attribution 1): no 'squared' summary"))
        guard case .text(let tampered) = details.last else { return XCTFail("no detail") }
        XCTAssertTrue(tampered.hasPrefix("run modadd, scan default, metric logit_diff, checkpoint step \(last) (attribution \(lastID)): the 'signed' sum of the component at position 0 is 1.0 in the summary, the matrix gives "), tampered)
    }
}
