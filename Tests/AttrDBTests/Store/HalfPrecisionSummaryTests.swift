import Foundation
import XCTest
@testable import AttrDB

/// Issue 13 §2: an f16 or bf16 run keeps its `abs` component and per-(layer, coefficient) sums as
/// float32 (schema/0007_summary_width.sql), and the totals of all three statistics; a float32 run
/// keeps all three statistics' sums as float64.
/// Queries answered from them agree with the values to 1e-6; `check` verifies them exactly; merge
/// copies them; a store whose 16-bit runs kept float64 sums is narrowed when upgraded.
final class HalfPrecisionSummaryTests: XCTestCase {
    private func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { i in
            i % 11 == 0 ? 0 : Float.random(in: -1...1, using: &generator) * pow(10, Float(i % 4) - 2)
        }
    }

    /// Embed, 3 layers of 2 heads, an MLP and 30 neurons, and a bias: 100 components over 24 coefficients.
    private let components: [Component] = {
        var comps = [Component(label: "embed", layer: -1, kind: .embed)]
        for layer in 0..<3 {
            comps += (0..<2).map { (head: Int) in Component(label: "L\(layer)H\(head)", layer: layer, kind: .attnHead, index: head) }
            comps.append(Component(label: "\(layer)_mlp_out", layer: layer, kind: .mlp))
            comps += (0..<30).map { (neuron: Int) in Component(label: "L\(layer)N\(neuron)", layer: layer, kind: .neuron, index: neuron) }
        }
        comps.append(Component(label: "bias", layer: 3, kind: .bias))
        return comps
    }()
    private let grid = (0..<24).map { Double($0) / 4 - 3 }

    /// Records checkpoints `steps` of run `run` at `precision` into the store at `path`.
    @discardableResult
    private func record(_ path: String, run: String = "r", precision: Precision, steps: [Int]) throws -> Store {
        let store = try Store(path: path, access: .create)
        let recorder = try Recorder(store: store, target: IngestTarget(run: run, metric: "m"), components: components,
                                    coefficients: grid, options: IngestOptions(precision: precision))
        for step in steps { try recorder.append(step: step, values: values(components.count * grid.count, seed: UInt64(step + 1))) }
        try recorder.commit()
        return store
    }

    /// (components, layers) blob lengths of every summary row.
    private func lengths(_ store: Store) throws -> Set<[Int]> {
        var out: Set<[Int]> = []
        try store.connection.forEachRow("SELECT length(components), length(layers) FROM attribution_summary") {
            out.insert([$0.int(at: 0), $0.int(at: 1)])
        }
        return out
    }

    /// The first column of every row of `sql`, as text.
    private func strings(_ store: Store, _ sql: String) throws -> [String] {
        var out: [String] = []
        try store.connection.forEachRow(sql) { out.append($0.string(at: 0)) }
        return out
    }

    /// Every summary and totals row, as text, in a fixed order.
    private func rows(_ store: Store) throws -> [String] {
        var out: [String] = []
        try store.connection.forEachRow("""
            SELECT s.attribution_id, s.statistic, hex(s.components), hex(s.layers), hex(t.sums), t.entropy, t.gini, hex(t.largest)
            FROM attribution_summary s JOIN summary_totals t USING (attribution_id, statistic) ORDER BY 1, 2
            """) { row in out.append((0..<Int32(8)).map { "\(row.value(at: $0))" }.joined(separator: " ")) }
        return out
    }

    func testSixteenBitRunsStoreFloat32SumsOfTheirRoundedValuesAndFloat32RunsFloat64() throws {
        let folder = try TemporaryFolder()
        let layers = 5
        for precision in Precision.allCases {
            let store = try record(folder.path("\(precision).sqlite"), precision: precision, steps: [0, 10])
            let width = precision == .f32 ? 8 : 4
            XCTAssertEqual(try lengths(store), [[components.count * width, layers * grid.count * width]], "\(precision)")
            XCTAssertEqual(try StoreCheck.run(store).problems, 0, "\(precision)")
            let statistics = try strings(store, "SELECT DISTINCT statistic FROM attribution_summary ORDER BY 1")
            XCTAssertEqual(statistics, precision == .f32 ? ["abs", "signed", "squared"] : ["abs"], "\(precision)")
            let totals = try strings(store, "SELECT DISTINCT statistic FROM summary_totals ORDER BY 1")
            XCTAssertEqual(totals, ["abs", "signed", "squared"], "\(precision): every run keeps all totals")
            // The stored sum is the Double sum of the values as read back, rounded once to float32.
            let scan = try ScanSelection(store: store, run: "r")
            var matrix = [Float](repeating: 0, count: scan.valuesPerCheckpoint)
            try matrix.withUnsafeMutableBufferPointer { try scan.matrixReader().read(checkpoint: 1, into: $0, verifying: true) }
            let id = scan.checkpoints[1].attributionID
            let stored = try StoredSummaries.stored(store.connection, attributionID: id, encoding: SummaryEncoding(precision))
            for p in [0, 7, 99] {
                let exact = matrix[(p * grid.count)..<((p + 1) * grid.count)].reduce(0.0) { $0 + Double(abs($1)) }
                let sum = try XCTUnwrap(stored[.abs]?.components?[p])
                if precision == .f32 {
                    XCTAssertLessThanOrEqual(abs(sum - exact), 1e-14 * exact, "\(precision) component \(p)")
                } else {
                    XCTAssertEqual(sum, Double(Float(sum)), "\(precision): a float32")
                    XCTAssertLessThanOrEqual(abs(sum - exact), 0x1p-24 * exact * 1.0001, "\(precision) component \(p)")
                }
            }
        }
    }

    /// Capacity (by layer, kind, component; long and wide), concentration, turnover's shares and
    /// compare answered from a 16-bit run's float32 sums and totals, against the same answers
    /// computed from its values (ComponentMasses with summaries off, as `ATTRDB_MASSES_FROM=values`).
    func testSixteenBitAnswersFromSummariesAgreeWithTheValuesToOneInAMillion() throws {
        let folder = try TemporaryFolder()
        for precision in [Precision.f16, .bf16] {
            let store = try record(folder.path("\(precision).sqlite"), precision: precision, steps: Array(stride(from: 0, to: 120, by: 10)))
            var compared = 0
            func close(_ a: Double?, _ b: Double?, _ message: String) {
                guard let a, let b else { return XCTAssertEqual(a == nil, b == nil, message) }
                XCTAssertLessThanOrEqual(abs(a - b), 1e-6 * max(abs(a), abs(b)), "\(a) vs \(b) \(precision) \(message)")
                compared += 1
            }
            for selection in [QuerySelection(), QuerySelection(components: ComponentFilter(layers: [0, 2])),
                              QuerySelection(coefficients: .range(-1, 1))] {
                let resolved = try ResolvedSelection(scan: ScanSelection(store: store, run: "r"), selection: selection)
                // Signed sums cancel: their shares are relative to the sum of magnitudes, not tested at 1e-6.
                for mode in [MassMode.absolute, .squared] {
                    let fast = try ComponentMasses(resolved, mode: mode, summaries: true)
                    let slow = try ComponentMasses(resolved, mode: mode, summaries: false)
                    for (a, b) in zip(fast.masses.joined(), slow.masses.joined()) { close(a, b, "\(mode) \(selection) mass") }
                    for (a, b) in zip(Turnover.shares(fast).joined(), Turnover.shares(slow).joined()) { close(a, b, "\(mode) turnover share") }
                    for grouping in Capacity.Grouping.allCases {
                        let a = try Capacity(resolved, mode: mode, by: grouping), b = Capacity(slow, by: grouping)
                        XCTAssertEqual(a.rows.map(\.group), b.rows.map(\.group))
                        for (x, y) in zip(a.rows, b.rows) {
                            close(x.mass, y.mass, "\(mode) \(grouping) \(selection)")
                            close(x.share, y.share, "\(mode) \(grouping) \(selection) share")
                        }
                        let wide = try CapacityWide(resolved, mode: mode, by: grouping), slowWide = CapacityWide(slow, by: grouping)
                        for (x, y) in zip(wide.rows.flatMap(\.shares), slowWide.rows.flatMap(\.shares)) { close(x, y, "wide \(mode) \(grouping)") }
                    }
                }
                let slow = try ComponentMasses(resolved, mode: .absolute, summaries: false)
                for k in [1, 10, 64, 1000] {
                    let a = try ConcentrationTable(resolved, top: k), b = ConcentrationTable(slow, top: k)
                    XCTAssertEqual(a.rows.map(\.step), b.rows.map(\.step))
                    for (x, y) in zip(a.rows, b.rows) {
                        close(x.entropy, y.entropy, "entropy")
                        close(x.gini, y.gini, "gini")
                        close(x.topShare, y.topShare, "top \(k)")
                    }
                }
                let fastCompare = try Comparison.capacity(resolved, resolved, alignment: .exact).rows
                let slowCompare = Comparison.capacity(slow, slow, alignment: .exact).rows
                for (x, y) in zip(fastCompare, slowCompare) { close(x.shareA, y.shareA, "compare") }
            }
            XCTAssertGreaterThan(compared, 5000, "\(precision): the comparisons ran")
        }
    }

    /// One float32 component sum, one float32 layer sum, changed by one unit in the last place:
    /// `check` names each (the rounding is deterministic, so the comparison is exact).
    func testCheckNamesAFloat32SumOffByOneUnitInTheLastPlace() throws {
        let folder = try TemporaryFolder()
        let store = try record(folder.path("s.sqlite"), precision: .f16, steps: [0, 10])
        let db = store.connection
        // Component 3's 'abs' sum (bytes 12..<16) and the 'abs' sum of the first layer at coefficient 2 (bytes 8..<12), each + 1 ulp.
        // (In two matrices: check names the first difference of each statistic of a matrix.)
        for (id, statistic, column, offset) in [(2, "abs", "components", 12), (1, "abs", "layers", 8)] {
            guard case .blob(let blob) = try db.scalar("SELECT \(column) FROM attribution_summary WHERE attribution_id = \(id) AND statistic = '\(statistic)'") else {
                return XCTFail("no \(column) blob")
            }
            var bits = blob[offset..<(offset + 4)].enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * $1.offset) }
            bits += 1
            let tampered = Array(blob[..<offset]) + (0..<4).map { UInt8((bits >> (8 * $0)) & 0xFF) } + Array(blob[(offset + 4)...])
            try db.run("UPDATE attribution_summary SET \(column) = ? WHERE attribution_id = \(id) AND statistic = '\(statistic)'", [.blob(tampered)])
        }
        let (table, problems) = try StoreCheck.run(store)
        let details = table.rows.filter { $0[0] == .text("summaries") && $0[1] == .text("problem") }.compactMap { row -> String? in
            if case .text(let text) = row[2] { return text }
            return nil
        }
        XCTAssertEqual(problems, 2, "\(details)")
        XCTAssertTrue(details.contains { $0.contains("(attribution 2): the 'abs' sum of the component at position 3 is ") }, "\(details)")
        XCTAssertTrue(details.contains { $0.contains("(attribution 1): the 'abs' sum of layer -1 at coefficient position 2 is ") }, "\(details)")
    }

    /// A 16-bit run's summaries of float64's length in a store of schema 7 are damaged: `check` says
    /// so, and queries read the values rather than guess the width.
    func testSumsOfTheOtherWidthAreACheckErrorAndNotRead() throws {
        let folder = try TemporaryFolder()
        let store = try record(folder.path("s.sqlite"), precision: .bf16, steps: [0, 10])
        let all = try ResolvedSelection(scan: ScanSelection(store: store, run: "r"), selection: QuerySelection())
        let expected = try ComponentMasses(all, mode: .absolute, summaries: false).masses
        // Twice as long: what the sums would take as float64.
        try store.connection.execute("UPDATE attribution_summary SET components = components || components WHERE attribution_id = 1 AND statistic = 'abs'")
        let (table, problems) = try StoreCheck.run(store)
        XCTAssertEqual(problems, 1)
        let detail = table.rows.first { $0[0] == .text("summaries") && $0[1] == .text("problem") }?[2]
        XCTAssertEqual(detail, .text("run r, scan default, metric m, checkpoint step 0 (attribution 1): the 'abs' component sums take \(components.count * 8) bytes; " +
                                     "\(components.count) components of a 16-bit run take \(components.count * 4) (float32 sums)"))
        let filtered = try ResolvedSelection(scan: ScanSelection(store: store, run: "r"), selection: QuerySelection(components: ComponentFilter(layers: [0, 1, 2])))
        let masses = try ComponentMasses(filtered, mode: .absolute, summaries: true).masses
        let kept = filtered.components
        XCTAssertEqual(masses[0], kept.map { expected[0][$0] }, "the damaged checkpoint is read from its values")
    }

    /// Two halves of an f16 run merged: the same summary and totals rows as one ingest of the whole.
    func testMergedHalvesOfAnF16RunKeepTheirFloat32Summaries() throws {
        let folder = try TemporaryFolder()
        let whole = try record(folder.path("whole.sqlite"), precision: .f16, steps: [0, 10, 20, 30])
        try record(folder.path("a.sqlite"), precision: .f16, steps: [0, 10])
        try record(folder.path("b.sqlite"), precision: .f16, steps: [20, 30])
        let merged = try Store(path: folder.path("a.sqlite"), access: .write)
        _ = try merged.merge(from: folder.path("b.sqlite"))
        XCTAssertEqual(try rows(merged), try rows(whole))
        XCTAssertEqual(try lengths(merged), [[components.count * 4, 5 * grid.count * 4]])
        XCTAssertEqual(try StoreCheck.run(merged).problems, 0)
        // Another precision of the same run is refused, as before: so are its summaries' width.
        try record(folder.path("c.sqlite"), precision: .f32, steps: [40])
        XCTAssertThrowsError(try merged.merge(from: folder.path("c.sqlite")))
        XCTAssertEqual(try rows(merged), try rows(whole), "the refused merge changed nothing")
    }

    /// A store of schema 6 whose f16 run kept float64 sums (as attrdb did before schema 7) is
    /// narrowed when upgraded: the very rows a fresh ingest writes, and `check` finds nothing.
    func testAnOldStoresFloat64SumsOfA16BitRunAreNarrowedWhenUpgraded() throws {
        let folder = try TemporaryFolder()
        let fresh = try record(folder.path("fresh.sqlite"), precision: .f16, steps: [0, 10, 20])
        let expected = try rows(fresh)
        let path = folder.path("old.sqlite")
        do {
            let store = try record(path, precision: .f16, steps: [0, 10, 20])
            try record(path, run: "plain", precision: .f32, steps: [0, 10])
            let plain = try rows(store).filter { !expected.contains($0) }
            XCTAssertEqual(plain.count, 2 * 3)
            // Rewrite the f16 run's summaries as schema 6 wrote them: float64 sums of the values as
            // read back, totals from those unrounded sums.
            let f16 = try StoredSummaries.runLayout(store.connection, runID: 1)
            XCTAssertEqual(f16.precision, .f16)
            try StoredSummaries.recompute(store.connection, try StoredSummaries.matrices(store.connection, missingOnly: false)) { matrix, layout, _ in
                guard matrix.runID == 1, let layout else { return }
                let old = layout.encoded(as: .float64)
                let scan = try ScanSelection(store: store, run: "r")
                let index = try XCTUnwrap(scan.checkpoints.firstIndex { $0.attributionID == matrix.attributionID })
                var values = [Float](repeating: 0, count: scan.valuesPerCheckpoint)
                try values.withUnsafeMutableBufferPointer { try scan.matrixReader().read(checkpoint: index, into: $0, verifying: true) }
                let summary = values.withUnsafeBufferPointer { MatrixSummary($0, layout: old) }
                try SummaryRows.write(summary, layout: old, attributionID: matrix.attributionID, with: try SummaryRows.Statements(store.connection))
            }
            try store.connection.execute("PRAGMA user_version = 6")
            XCTAssertEqual(try lengths(store), [[components.count * 8, 5 * grid.count * 8]])
            XCTAssertNotEqual(try rows(store).filter { !plain.contains($0) }, expected, "the old rows differ from today's")
        }
        let store = try Store(path: path, access: .write)
        XCTAssertEqual(try store.schemaVersion(), Migration.latestVersion)
        let upgraded = try rows(store)
        XCTAssertEqual(upgraded.filter { expected.contains($0) }, expected, "the f16 run's rows are a fresh ingest's")
        XCTAssertEqual(upgraded.count, expected.count + 2 * 3, "the float32 run's rows are kept")
        XCTAssertEqual(try lengths(store), [[components.count * 4, 5 * grid.count * 4], [components.count * 8, 5 * grid.count * 8]])
        XCTAssertEqual(try StoreCheck.run(store).problems, 0)
    }

    /// A 16-bit run's `--signed` and `--squared` masses, which it keeps no component or layer sums
    /// for, are read from its values: the same masses bit for bit as with summaries turned off, over
    /// the whole grid and a `--coef` range, by component, and by layer over the range (over the whole
    /// grid the totals, kept for every statistic, answer).
    func testSixteenBitSignedAndSquaredMassesComeFromTheValues() throws {
        let folder = try TemporaryFolder()
        let store = try record(folder.path("s.sqlite"), precision: .f16, steps: [0, 10, 20])
        for selection in [QuerySelection(), QuerySelection(coefficients: .range(-1, 1))] {
            let resolved = try ResolvedSelection(scan: ScanSelection(store: store, run: "r"), selection: selection)
            for mode in [MassMode.signed, .squared] {
                let fast = try ComponentMasses(resolved, mode: mode, summaries: true)
                let slow = try ComponentMasses(resolved, mode: mode, summaries: false)
                XCTAssertEqual(fast.masses.joined().map(\.bitPattern), slow.masses.joined().map(\.bitPattern), "\(mode) \(selection)")
                guard selection.coefficients != .all else { continue }
                let a = try Capacity(resolved, mode: mode, by: .layer), b = Capacity(slow, by: .layer)
                XCTAssertEqual(a.rows.map(\.mass.bitPattern), b.rows.map(\.mass.bitPattern), "\(mode) \(selection) by layer")
            }
        }
    }

    /// A 16-bit matrix replaced in a store whose older attrdb kept all three statistics' sums loses
    /// the `signed` and `squared` rows with its values: no stale sum is left to disagree with them.
    func testReplacingA16BitMatrixRemovesTheSumsItsRunNoLongerKeeps() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        let store = try record(path, precision: .f16, steps: [0, 10])
        // What an attrdb of schema 7 before this change wrote: all three statistics as float32.
        try StoredSummaries.recompute(store.connection, try StoredSummaries.matrices(store.connection, missingOnly: false)) { matrix, layout, summary in
            guard let layout, let summary else { return }
            for statistic in SummaryStatistic.allCases where statistic != .abs {
                try store.connection.run(SummaryRows.upsert, [.integer(matrix.attributionID), .text(statistic.rawValue),
                    .integer(Int64(layout.layerIndex.count)), .integer(Int64(layout.layers.count)), .integer(Int64(layout.coefficients)),
                    .blob(layout.encoding.bytes(summary.layers[statistic.index])), .blob(layout.encoding.bytes(summary.components[statistic.index]))])
            }
        }
        XCTAssertEqual(try strings(store, "SELECT count(*) FROM attribution_summary"), ["6"])
        XCTAssertEqual(try StoreCheck.run(store).problems, 0, "the older rows are checked and agree")
        let recorder = try Recorder(store: store, target: IngestTarget(run: "r", metric: "m"), components: components, coefficients: grid,
                                    options: IngestOptions(replace: true, precision: .f16))
        try recorder.append(step: 10, values: values(components.count * grid.count, seed: 99))
        try recorder.commit()
        XCTAssertEqual(try strings(store, "SELECT a.statistic FROM attribution_summary a JOIN attribution USING (attribution_id) " +
                                          "JOIN checkpoint c USING (checkpoint_id) WHERE c.step = 10"), ["abs"])
        XCTAssertEqual(try StoreCheck.run(store).problems, 0)
    }
}
