/// Tables read straight from a run's rows: its checkpoints, components and losses.
public enum StoreTables {
    /// `checkpoint_step,tokens_seen,matrices`: every checkpoint of the run, with how many packed
    /// matrices (scan × metric) it holds.
    public static func checkpoints(store: Store, run: String) throws -> ResultTable {
        let id = try store.runID(named: run)
        var rows: [[Cell]] = []
        try store.connection.forEachRow("""
            SELECT c.step, c.tokens_seen, (SELECT count(*) FROM attribution a WHERE a.checkpoint_id = c.checkpoint_id)
            FROM checkpoint c WHERE c.run_id = ? ORDER BY c.step
            """, [.integer(id)]) { row in
            rows.append([.int(row.int(at: 0)), row.optionalInt(at: 1).map(Cell.int) ?? .null, .int(row.int(at: 2))])
        }
        return ResultTable(columns: ["checkpoint_step", "tokens_seen", "matrices"], rows: rows)
    }

    /// `position,label,layer,kind,index`: the run's components in matrix-row order.
    public static func components(store: Store, run: String) throws -> ResultTable {
        let id = try store.runID(named: run)
        var rows: [[Cell]] = []
        try store.connection.forEachRow("SELECT position, label, layer, kind, head_or_neuron FROM component WHERE run_id = ? ORDER BY position", [.integer(id)]) { row in
            rows.append([.int(row.int(at: 0)), .text(row.string(at: 1)), .int(row.int(at: 2)), .text(row.string(at: 3)), row.optionalInt(at: 4).map(Cell.int) ?? .null])
        }
        return ResultTable(columns: ["position", "label", "layer", "kind", "index"], rows: rows)
    }

    /// `checkpoint_step` and one column per statistic (train_loss, test_loss, …) as losses.csv had them.
    public static func losses(store: Store, run: String) throws -> ResultTable {
        let id = try store.runID(named: run)
        var names: [String] = []
        try store.connection.forEachRow("SELECT DISTINCT s.name FROM checkpoint_stat s JOIN checkpoint c USING (checkpoint_id) WHERE c.run_id = ? ORDER BY s.name", [.integer(id)]) {
            names.append($0.string(at: 0))
        }
        var rows: [[Cell]] = []
        var current: (step: Int, values: [String: Double?])?
        func flush() {
            if let current { rows.append([.int(current.step)] + names.map { name in (current.values[name] ?? nil).map(Cell.double) ?? .null }) }
        }
        try store.connection.forEachRow("""
            SELECT c.step, s.name, s.value FROM checkpoint_stat s JOIN checkpoint c USING (checkpoint_id)
            WHERE c.run_id = ? ORDER BY c.step
            """, [.integer(id)]) { row in
            let step = row.int(at: 0)
            if current?.step != step { flush(); current = (step, [:]) }
            current?.values[row.string(at: 1)] = row.optionalDouble(at: 2)
        }
        flush()
        return ResultTable(columns: ["checkpoint_step"] + names, rows: rows)
    }
}
