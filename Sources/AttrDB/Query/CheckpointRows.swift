extension CheckpointSelection {
    /// The rows of `table` at the checkpoints this selection takes among the steps of its
    /// `checkpoint_step` column: the same selection, applied the same way, as on a scan's checkpoints
    /// (`every:4` takes every 4th step the table holds, keeping the last). `run` names the run in errors.
    public func rows(of table: ResultTable, run: String) throws -> ResultTable {
        guard let column = table.column("checkpoint_step") else { return table }
        let steps = Array(Set(table.rows.compactMap { row -> Int? in if case .int(let step) = row[column] { return step } else { return nil } })).sorted()
        let kept = Set(try indices(in: steps, run: run).map { steps[$0] })
        var result = table
        result.rows = table.rows.filter { row in if case .int(let step) = row[column] { return kept.contains(step) } else { return false } }
        return result
    }
}
