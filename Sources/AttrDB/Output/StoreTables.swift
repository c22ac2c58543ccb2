/// Tables read straight from a run's rows: its checkpoints, components and losses.
public enum StoreTables {
    /// `checkpoint_step,tokens_seen,matrices`: every checkpoint of the run, with how many packed
    /// matrices (scan × metric) it holds.
    public static func checkpoints(store: Store, run: String) throws -> CheckpointList {
        let id = try store.runID(named: run)
        var rows: [CheckpointListRow] = []
        try store.connection.forEachRow("""
            SELECT c.step, c.tokens_seen, (SELECT count(*) FROM attribution a WHERE a.checkpoint_id = c.checkpoint_id)
            FROM checkpoint c WHERE c.run_id = ? ORDER BY c.step
            """, [.integer(id)]) { row in
            rows.append(CheckpointListRow(step: row.int(at: 0), tokensSeen: row.optionalInt(at: 1), matrices: row.int(at: 2)))
        }
        return CheckpointList(rows: rows)
    }

    /// `position,label,layer,kind,index`: the run's components in matrix-row order.
    public static func components(store: Store, run: String) throws -> ComponentList {
        let id = try store.runID(named: run)
        var rows: [ComponentListRow] = []
        try store.connection.forEachRow("SELECT position, label, layer, kind, head_or_neuron FROM component WHERE run_id = ? ORDER BY position", [.integer(id)]) { row in
            rows.append(ComponentListRow(position: row.int(at: 0), label: row.string(at: 1), layer: row.int(at: 2), kind: row.string(at: 3), index: row.optionalInt(at: 4)))
        }
        return ComponentList(rows: rows)
    }

    /// `checkpoint_step` and one column per statistic (train_loss, test_loss, …) as losses.csv had them.
    public static func losses(store: Store, run: String) throws -> CheckpointStatistics {
        let id = try store.runID(named: run)
        var names: [String] = []
        try store.connection.forEachRow("SELECT DISTINCT s.name FROM checkpoint_stat s JOIN checkpoint c USING (checkpoint_id) WHERE c.run_id = ? ORDER BY s.name", [.integer(id)]) {
            names.append($0.string(at: 0))
        }
        var rows: [CheckpointStatisticsRow] = []
        var current: (step: Int, values: [String: Double?])?
        func flush() {
            if let current { rows.append(CheckpointStatisticsRow(step: current.step, values: names.map { name in current.values[name] ?? nil })) }
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
        return CheckpointStatistics(names: names, rows: rows)
    }
}
