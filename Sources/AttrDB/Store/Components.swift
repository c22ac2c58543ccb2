/// The component table: a run's model parts in matrix-row order, read through one row decoder.
extension Store {
    /// The components of the run with id `runID` (called `run` in messages), by position.
    ///
    /// - Throws: ``StoreError/corrupt(path:detail:)`` for a row whose kind attrdb never writes.
    func components(runID: Int64, run: String) throws -> [Component] {
        var components: [Component] = []
        // Counted first, so the array is allocated once: grown by doubling, 737 280 components
        // (35 MB) touched twice their size in fresh pages, a quarter of a whole-grid query's time.
        let count = try connection.scalar("SELECT count(*) FROM component WHERE run_id = ?", [.integer(runID)])?.int64 ?? 0
        components.reserveCapacity(Int(count))
        try connection.forEachRow("SELECT \(Component.storedColumns) FROM component WHERE run_id = ? ORDER BY position", [.integer(runID)]) {
            components.append(try Component(row: $0, run: run, store: path))
        }
        return components
    }

    /// The components of the run with id `runID` at `positions`, in that order, each found by its
    /// position: a turnover that prints a few hundred rows of 737 280 components reads only theirs.
    func components(runID: Int64, run: String, at positions: [Int]) throws -> [Component] {
        let find = try connection.cachedStatement("SELECT \(Component.storedColumns) FROM component WHERE run_id = ? AND position = ?")
        var found: [Int: Component] = [:]  // a component crossing at several checkpoints is read once
        return try positions.map { position in
            if let known = found[position] { return known }
            try find.bind([.integer(runID), .integer(Int64(position))])
            defer { try? find.reset() }
            guard try find.step() else {
                // Removed by another process since the query resolved it, or damaged.
                if try connection.scalar("SELECT 1 FROM run WHERE run_id = ?", [.integer(runID)]) == nil {
                    throw StoreError.unknownRun(name: run, suggestions: [])
                }
                throw StoreError.corrupt(path: path, detail: "run '\(Escape.terminal(run))' has no component at position \(position), which its matrices have")
            }
            let component = try Component(row: find, run: run, store: path)
            found[position] = component
            return component
        }
    }

    /// The components of the run called `name`, in matrix-row order.
    public func components(ofRun name: String) throws -> [Component] {
        try components(runID: try runID(named: name), run: name)
    }

    /// Adds `components` to the run at positions 0, 1, … (a run with none yet).
    func insertComponents(_ components: [Component], runID: Int64) throws {
        let insert = try connection.cachedStatement("INSERT INTO component (run_id, position, label, layer, kind, head_or_neuron) VALUES (?, ?, ?, ?, ?, ?)")
        for (position, component) in components.enumerated() {
            try insert.bind([.integer(runID), .integer(Int64(position)), .text(component.label), .integer(Int64(component.layer)),
                             .text(component.kind.rawValue), SQLValue(component.index)])
            try insert.step()
        }
    }

    /// How many components of each kind the run with `layers` has, kinds in the order they first
    /// appear: a count and a first position per distinct (layer, kind), each from its range of the
    /// component_layer index (a GROUP BY over the rows took 0.44 s at 737 280 components).
    func componentCountsByKind(runID: Int64, layers: ComponentLayers) throws -> [(kind: String, count: Int)] {
        let range = try connection.cachedStatement("""
            SELECT count(*), min(position) FROM component INDEXED BY component_layer WHERE run_id = ? AND layer = ? AND kind = ?
            """)
        var kinds: [ComponentKind: (count: Int, first: Int)] = [:]
        for (layer, kindsOfLayer) in zip(layers.layers, layers.kindsOfLayer) {
            for kind in kindsOfLayer {
                try range.bind([.integer(runID), .integer(Int64(layer)), .text(kind.rawValue)])
                defer { try? range.reset() }
                guard try range.step() else { continue }
                let count = range.int(at: 0), first = range.int(at: 1)
                let known = kinds[kind]
                kinds[kind] = ((known?.count ?? 0) + count, min(known?.first ?? first, first))
            }
        }
        return kinds.sorted { $0.value.first < $1.value.first }.map { ($0.key.rawValue, $0.value.count) }
    }
}

extension Component {
    /// The columns ``init(row:run:store:)`` reads, in its order.
    static let storedColumns = "label, layer, kind, head_or_neuron"

    /// Decodes a component row selected as ``storedColumns``: the one place a component row
    /// becomes a ``Component``.
    init(row: Statement, run: String, store path: String) throws {
        let label = row.string(at: 0)
        let kindText = row.string(at: 2)
        guard let kind = ComponentKind(rawValue: kindText) else { throw Component.unknownKind(kindText, label: label, run: run, store: path) }
        self.init(label: label, layer: row.int(at: 1), kind: kind, index: row.optionalInt(at: 3))
    }

    /// A component row of a kind attrdb never writes: the store is damaged.
    static func unknownKind(_ kind: String, label: String, run: String, store path: String) -> StoreError {
        .corrupt(path: path, detail: "run '\(Escape.terminal(run))', component '\(Escape.terminal(label))' has kind '\(Escape.terminal(kind))', which attrdb does not write (\(ComponentKind.allCases.map(\.rawValue).joined(separator: ", ")))")
    }
}
