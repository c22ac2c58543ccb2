import XCTest
@testable import AttrDB

/// A whole-grid query names its groups from the run's layers and kinds, found by index seeks, and
/// reads a component row only for what it prints: the layers must be those the rows give, and the
/// answers those of a query that read every row.
final class ComponentLayersTests: XCTestCase {
    /// Embeddings sharing layer −1, heads and an MLP sharing layers, neurons, the bias one past the
    /// last layer, written in an order that is neither by layer nor by kind.
    private static let components: [Component] = {
        var generator = SeededGenerator(seed: 11)
        var components = [Component(label: "embed", layer: -1, kind: .embed), Component(label: "pos_embed", layer: -1, kind: .posEmbed),
                          Component(label: "bias", layer: 4, kind: .bias)]
        for layer in 0..<4 {
            components += (0..<3).map { Component(label: "L\(layer)H\($0 as Int)", layer: layer, kind: .attnHead, index: $0) }
            if layer != 2 { components.append(Component(label: "\(layer)_mlp_out", layer: layer, kind: .mlp)) }
            if layer == 3 { components += (0..<5).map { Component(label: "L3N\($0 as Int)", layer: 3, kind: .neuron, index: $0) } }
        }
        components.shuffle(using: &generator)
        return components
    }()

    /// A store with one run of ``components`` over a 16-coefficient grid (enough to keep summaries),
    /// six checkpoints of random values.
    private func store(_ folder: TemporaryFolder) throws -> Store {
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        let grid = (0..<16).map { Double($0) / 8 - 1 }
        let recorder = try Recorder(store: store, target: IngestTarget(run: "r", metric: "m"), components: Self.components, coefficients: grid)
        var generator = SeededGenerator(seed: 5)
        for step in 0..<6 {
            // A few components hold most of the mass, and which ones changes: turnover has crossings.
            try recorder.append(step: step * 100, values: Self.components.indices.flatMap { p in
                let scale: Float = (p + step) % 7 == 0 ? 40 : 1
                return (0..<16).map { _ in scale * Float.random(in: -1...1, using: &generator) }
            })
        }
        try recorder.commit()
        return store
    }

    func testLayersFromTheIndexAreThoseOfTheRows() throws {
        let folder = try TemporaryFolder()
        let store = try store(folder)
        let runID = try store.runID(named: "r")
        let layers = try store.componentLayers(runID: runID, run: "r")
        XCTAssertEqual(layers, ComponentLayers(try store.components(ofRun: "r")))
        XCTAssertEqual(layers.count, Self.components.count)
        XCTAssertEqual(layers.layers, [-1, 0, 1, 2, 3, 4])
        XCTAssertEqual(layers.kindsOfLayer, [[.embed, .posEmbed], [.attnHead, .mlp], [.attnHead, .mlp], [.attnHead], [.attnHead, .mlp, .neuron], [.bias]])
        // `show`'s counts by kind, in the order kinds first appear, and its layers of heads, MLPs and neurons.
        var expected: [String] = []
        try store.connection.forEachRow("SELECT kind, count(*) FROM component WHERE run_id = ? GROUP BY kind ORDER BY min(position)", [.integer(runID)]) {
            expected.append("\($0.string(at: 0)) \($0.int(at: 1))")
        }
        XCTAssertEqual(try store.componentCountsByKind(runID: runID, layers: layers).map { "\($0.kind) \($0.count)" }, expected)
        XCTAssertEqual(expected.count, 6)
        XCTAssertEqual(layers.blockLayerCount, 4)
        // A run with no components yet (a recorder that registered nothing) has no layers.
        try store.connection.execute("INSERT INTO run (name, created_at, status) VALUES ('empty', '2026-01-01T00:00:00Z', 'incomplete')")
        XCTAssertEqual(try store.componentLayers(runID: try store.runID(named: "empty"), run: "empty"), ComponentLayers(count: 0, layers: [], kindsOfLayer: []))
    }

    /// Capacity by layer and by kind, concentration, compare and a turnover without crossings read
    /// no component row; their answers equal those of the masses of every component, which read them all.
    func testWholeGridQueriesReadNoComponentRowAndAnswerAsTheRowsDo() throws {
        let folder = try TemporaryFolder()
        let store = try store(folder)
        func resolved() throws -> ResolvedSelection {
            try ResolvedSelection(scan: try ScanSelection(store: store, run: "r"), selection: QuerySelection())
        }
        for grouping in [Capacity.Grouping.layer, .kind] {
            let selection = try resolved()
            let capacity = try Capacity(selection, by: grouping)
            XCTAssertFalse(selection.scan.componentRowsRead, "capacity --by \(grouping)")
            let fromRows = Capacity(try ComponentMasses(try resolved()), by: grouping)
            XCTAssertEqual(capacity.groups, fromRows.groups)
            XCTAssertEqual(capacity.rows.count, fromRows.rows.count)
            for (a, b) in zip(capacity.rows, fromRows.rows) {
                XCTAssertEqual(a.share, b.share, accuracy: 1e-12 * max(1, abs(b.share)), "\(grouping) \(a.group) at \(a.step)")
            }
            XCTAssertEqual(try CapacityWide(try resolved(), by: grouping).groups, CapacityWide(try ComponentMasses(try resolved()), by: grouping).groups)
        }
        let selection = try resolved()
        _ = try ConcentrationTable(selection, top: 3)
        _ = try Comparison.capacity(selection, selection, alignment: .exact)
        XCTAssertEqual(try Turnover.events(selection, cutoff: 0.99).rows, [])
        XCTAssertFalse(selection.scan.componentRowsRead)
    }

    /// Turnover reads the rows of the components that cross: one by one when they are few, all of
    /// them when they are many; the events are those of the masses held with every row.
    func testTurnoverNamesTheCrossingComponentsAsTheRowsDo() throws {
        let folder = try TemporaryFolder()
        let store = try store(folder)
        let all = try ResolvedSelection(scan: try ScanSelection(store: store, run: "r"), selection: QuerySelection())
        for cutoff in [0.02, 0.05, 0.1] {
            let selection = try ResolvedSelection(scan: try ScanSelection(store: store, run: "r"), selection: QuerySelection())
            let streamed = try Turnover.events(selection, cutoff: cutoff, minimumBytes: 0)
            XCTAssertEqual(streamed.rows, Turnover.events(try ComponentMasses(all), cutoff: cutoff).rows, "cutoff \(cutoff)")
            XCTAssertFalse(streamed.rows.isEmpty, "cutoff \(cutoff): the comparison means something only with crossings")
            let summary = try Turnover.summary(selection, cutoff: cutoff)
            XCTAssertEqual(summary.rows, Turnover.summary(try ComponentMasses(all.endpoints()), cutoff: cutoff).rows)
        }
    }

    func testComponentsAtPositionsAreTheRowsAtThem() throws {
        let folder = try TemporaryFolder()
        let store = try store(folder)
        let rows = try store.components(ofRun: "r")
        for positions in [[], [3], [5, 0, 5, 22], Array((0..<rows.count).reversed())] {
            // Few positions are looked up one by one; many, or once the rows are read, come from the rows.
            let scan = try ScanSelection(store: store, run: "r")
            XCTAssertEqual(try scan.components(at: positions), positions.map { rows[$0] }, "\(positions)")
            XCTAssertEqual(scan.componentRowsRead, positions.count * 16 >= rows.count)
            XCTAssertEqual(try store.components(runID: scan.runID, run: "r", at: positions), positions.map { rows[$0] })
        }
        // A run another process removed after the query resolved it is an unknown run, whichever way its rows are read.
        do {
            let other = try TemporaryFolder()
            let removed = try self.store(other)
            let few = try ScanSelection(store: removed, run: "r"), all = try ScanSelection(store: removed, run: "r")
            try removed.connection.execute("DELETE FROM run WHERE name = 'r'")
            XCTAssertThrowsError(try few.components(at: [1])) { XCTAssertEqual($0 as? StoreError, .unknownRun(name: "r", suggestions: [])) }
            XCTAssertThrowsError(try all.components) { XCTAssertEqual($0 as? StoreError, .unknownRun(name: "r", suggestions: [])) }
        }
        // A position far past the others (a damaged store) is named, never taken as the count of components.
        do {
            let other = try TemporaryFolder()
            let damaged = try self.store(other)
            try damaged.connection.execute("UPDATE component SET position = 1099511627776 WHERE label = 'bias'")
            XCTAssertThrowsError(try ScanSelection(store: damaged, run: "r")) { error in
                XCTAssertEqual(error as? StoreError, .corrupt(path: other.path("s.sqlite"), detail: "run 'r' has component positions up to 1099511627776, but \(rows.count) components in its matrices"))
            }
        }
        // A position the matrices have but the rows do not is a damaged store, named.
        let scan = try ScanSelection(store: store, run: "r")
        XCTAssertThrowsError(try store.components(runID: scan.runID, run: "r", at: [rows.count])) { error in
            XCTAssertEqual(error as? StoreError, .corrupt(path: folder.path("s.sqlite"), detail: "run 'r' has no component at position \(rows.count), which its matrices have"))
        }
    }
}
