/// Tables read straight from a run's rows: its checkpoints, components and losses.
public enum StoreTables {
    /// `checkpoint_step,tokens_seen,matrices`: every checkpoint of the run, with how many packed
    /// matrices (scan × metric) it holds.
    public static func checkpoints(store: Store, run: String) throws -> ResultTable {
        let rows: [[Cell]] = try store.checkpoints(ofRun: run).map { row in
            [.int(row.checkpoint.step), row.checkpoint.tokensSeen.map(Cell.int) ?? .null, .int(row.matrices)]
        }
        return ResultTable(columns: ["checkpoint_step", "tokens_seen", "matrices"], rows: rows)
    }

    /// `position,label,layer,kind,index`: the run's components in matrix-row order.
    public static func components(store: Store, run: String) throws -> ResultTable {
        let rows: [[Cell]] = try store.components(ofRun: run).enumerated().map { position, component in
            [.int(position), .text(component.label), .int(component.layer), .text(component.kind.rawValue), component.index.map(Cell.int) ?? .null]
        }
        return ResultTable(columns: ["position", "label", "layer", "kind", "index"], rows: rows)
    }

    /// `checkpoint_step` and one column per statistic (train_loss, test_loss, …) as losses.csv had them.
    public static func losses(store: Store, run: String) throws -> ResultTable {
        let names = try store.statisticNames(ofRun: run)
        var rows: [[Cell]] = []
        var current: (step: Int, values: [String: Double?])?
        func flush() {
            if let current { rows.append([.int(current.step)] + names.map { name in (current.values[name] ?? nil).map(Cell.double) ?? .null }) }
        }
        for stat in try store.statistics(ofRun: run) {
            if current?.step != stat.step { flush(); current = (stat.step, [:]) }
            current?.values[stat.name] = stat.value
        }
        flush()
        return ResultTable(columns: ["checkpoint_step"] + names, rows: rows)
    }
}
