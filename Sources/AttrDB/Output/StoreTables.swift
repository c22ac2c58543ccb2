/// Tables read straight from a run's rows: its checkpoints, components and losses.
public enum StoreTables {
    /// `checkpoint_step,tokens_seen,matrices,weights_sha256`: every checkpoint of the run, with how
    /// many packed matrices (scan × metric) it holds and its weights hash when one was logged.
    public static func checkpoints(store: Store, run: String) throws -> CheckpointList {
        CheckpointList(rows: try store.checkpoints(ofRun: run).map { row in
            CheckpointListRow(step: row.checkpoint.step, tokensSeen: row.checkpoint.tokensSeen, matrices: row.matrices, weightsHash: row.weightsHash)
        })
    }

    /// `position,label,layer,kind,index`: the run's components in matrix-row order.
    public static func components(store: Store, run: String) throws -> ComponentList {
        ComponentList(rows: try store.components(ofRun: run).enumerated().map { position, component in
            ComponentListRow(position: position, component: component)
        })
    }

    /// `checkpoint_step` and one column per statistic (train_loss, test_loss, …) as losses.csv had them.
    public static func losses(store: Store, run: String) throws -> CheckpointStatistics {
        let names = try store.statisticNames(ofRun: run)
        var rows: [CheckpointStatisticsRow] = []
        var current: (step: Int, values: [String: Double?])?
        func flush() {
            if let current { rows.append(CheckpointStatisticsRow(step: current.step, values: names.map { name in current.values[name] ?? nil })) }
        }
        for stat in try store.statistics(ofRun: run) {
            if current?.step != stat.step { flush(); current = (stat.step, [:]) }
            current?.values[stat.name] = stat.value
        }
        flush()
        return CheckpointStatistics(names: names, rows: rows)
    }
}
