/// A run's components as a whole-grid query sees them: how many there are, and which layers and kinds
/// they fall in. Enough to name and order capacity's groups and to find each group's total among
/// the stored totals, and read in a few dozen index seeks (schema/0008_component_layers.sql), where
/// the component rows themselves take 0.30 s at 737 280 components.
public struct ComponentLayers: Equatable, Sendable {
    /// How many components the run has: one past the last position.
    public var count: Int
    /// The distinct layers, ascending.
    public var layers: [Int]
    /// The kinds of each layer's components, in the order of ``layers``.
    public var kindsOfLayer: [Set<ComponentKind>]

    public init(count: Int, layers: [Int], kindsOfLayer: [Set<ComponentKind>]) {
        self.count = count
        self.layers = layers
        self.kindsOfLayer = kindsOfLayer
    }

    /// The same figures counted from the component rows themselves.
    public init(_ components: [Component]) {
        var kinds: [Int: Set<ComponentKind>] = [:]
        for component in components { kinds[component.layer, default: []].insert(component.kind) }
        let layers = kinds.keys.sorted()
        self.init(count: components.count, layers: layers, kindsOfLayer: layers.map { kinds[$0] ?? [] })
    }

    /// How many distinct layers hold heads, MLPs or neurons.
    public var blockLayerCount: Int { kindsOfLayer.filter { !$0.isDisjoint(with: [.attnHead, .mlp, .neuron]) }.count }

    /// Every kind the run has.
    public var kinds: Set<ComponentKind> { kindsOfLayer.reduce(into: []) { $0.formUnion($1) } }
}

extension Store {
    /// The run's layers and kinds, one index seek per distinct (layer, kind) pair, and its count of
    /// components from the last position: positions run 0, 1, … (`check` names a run whose do not).
    ///
    /// - Throws: ``StoreError/corrupt(path:detail:)`` for a kind attrdb never writes, as reading the
    ///   rows would.
    func componentLayers(runID: Int64, run: String) throws -> ComponentLayers {
        let last = try connection.scalar("SELECT max(position) FROM component WHERE run_id = ?", [.integer(runID)])?.int64
        // Two seeks, each on the index's prefix: one bound on (layer, kind) together is a seek on
        // the layer alone followed by a walk over every entry of the pair just found.
        let nextLayer = try connection.cachedStatement(
            "SELECT layer, kind FROM component INDEXED BY component_layer WHERE run_id = ? AND layer > ? ORDER BY layer, kind LIMIT 1")
        let nextKind = try connection.cachedStatement(
            "SELECT kind FROM component INDEXED BY component_layer WHERE run_id = ? AND layer = ? AND kind > ? ORDER BY kind LIMIT 1")
        func kind(_ text: String) throws -> ComponentKind {
            guard let kind = ComponentKind(rawValue: text) else {
                // Named by its first row of that kind, as reading the rows would name it.
                let label = try connection.scalar("SELECT label FROM component WHERE run_id = ? AND kind = ? ORDER BY position LIMIT 1",
                                                  [.integer(runID), .text(text)])?.string ?? "?"
                throw Component.unknownKind(text, label: label, run: run, store: path)
            }
            return kind
        }
        var layers: [Int] = [], kindsOfLayer: [Set<ComponentKind>] = []
        var layer = Int64.min
        while true {
            try nextLayer.bind([.integer(runID), .integer(layer)])
            let found: (Int64, String)? = try nextLayer.step() ? (nextLayer.int64(at: 0), nextLayer.string(at: 1)) : nil
            try nextLayer.reset()
            guard let found else { break }
            layer = found.0
            var kindText = found.1, kinds: Set<ComponentKind> = [try kind(kindText)]
            while true {
                try nextKind.bind([.integer(runID), .integer(layer), .text(kindText)])
                let next: String? = try nextKind.step() ? nextKind.string(at: 0) : nil
                try nextKind.reset()
                guard let next else { break }
                kinds.insert(try kind(next))
                kindText = next
            }
            layers.append(Int(layer))
            kindsOfLayer.append(kinds)
        }
        // One past the last position counts the components only when the positions have no gaps. A
        // damaged store's could claim any count, so the count must agree with the run's matrices, or
        // with the rows themselves when the run has no matrix yet.
        let count = last.map { Int($0) + 1 } ?? 0
        let inMatrices = try connection.scalar("SELECT a.n_components FROM attribution a JOIN scan s USING (scan_id) WHERE s.run_id = ? LIMIT 1",
                                               [.integer(runID)])?.int64
        let expected = try inMatrices ?? (count == 0 ? 0 : connection.scalar("SELECT count(*) FROM component WHERE run_id = ?", [.integer(runID)])?.int64 ?? 0)
        guard Int64(count) == expected else {
            throw StoreError.corrupt(path: path, detail: "run '\(Escape.terminal(run))' has component positions up to \(count - 1), but \(expected) components \(inMatrices == nil ? "in its rows" : "in its matrices")")
        }
        return ComponentLayers(count: count, layers: layers, kindsOfLayer: kindsOfLayer)
    }
}
