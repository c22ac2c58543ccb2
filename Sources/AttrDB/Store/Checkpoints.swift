/// Checkpoints and what was measured at them: statistics such as losses, residual-stream norms and
/// W_OV norms.
extension Store {
    /// A checkpoint with how many packed matrices (scan × metric) it holds.
    public struct CheckpointMatrices: Equatable, Sendable {
        public var checkpoint: Checkpoint
        public var matrices: Int
        /// The weights hash logged for the checkpoint, if any (schema 3).
        public var weightsHash: WeightsHash? = nil
    }

    /// Every checkpoint of the run called `run`, ascending by step.
    public func checkpoints(ofRun run: String) throws -> [CheckpointMatrices] {
        let id = try runID(named: run)
        var rows: [CheckpointMatrices] = []
        try connection.forEachRow("""
            SELECT c.step, c.tokens_seen, (SELECT count(*) FROM attribution a WHERE a.checkpoint_id = c.checkpoint_id), c.weights_sha256
            FROM checkpoint c WHERE c.run_id = ? ORDER BY c.step
            """, [.integer(id)]) {
            rows.append(CheckpointMatrices(checkpoint: Checkpoint(step: $0.int(at: 0), tokensSeen: $0.optionalInt(at: 1)), matrices: $0.int(at: 2),
                                           weightsHash: $0.optionalString(at: 3).flatMap { WeightsHash(hex: $0) }))
        }
        return rows
    }

    /// The first and last checkpoint steps of a run, nil when it has none.
    func stepRange(runID: Int64) throws -> (first: Int?, last: Int?) {
        let row = try connection.cachedStatement("SELECT min(step), max(step) FROM checkpoint WHERE run_id = ?")
        try row.bind([.integer(runID)])
        try row.step()
        return (row.optionalInt(at: 0), row.optionalInt(at: 1))
    }

    /// The names of the run's statistics (train_loss, test_loss, …), sorted.
    public func statisticNames(ofRun run: String) throws -> [String] {
        try statisticNames(runID: try runID(named: run))
    }

    func statisticNames(runID: Int64) throws -> [String] {
        var names: [String] = []
        try connection.forEachRow("SELECT DISTINCT s.name FROM checkpoint_stat s JOIN checkpoint c USING (checkpoint_id) WHERE c.run_id = ? ORDER BY s.name", [.integer(runID)]) {
            names.append($0.string(at: 0))
        }
        return names
    }

    /// Every statistic of the run, ascending by step.
    public func statistics(ofRun run: String) throws -> [CheckpointStat] {
        let id = try runID(named: run)
        var stats: [CheckpointStat] = []
        try connection.forEachRow("""
            SELECT c.step, s.name, s.value FROM checkpoint_stat s JOIN checkpoint c USING (checkpoint_id)
            WHERE c.run_id = ? ORDER BY c.step
            """, [.integer(id)]) {
            stats.append(CheckpointStat(step: $0.int(at: 0), name: $0.string(at: 1), value: $0.optionalDouble(at: 2)))
        }
        return stats
    }

    /// The run's mean residual-stream norms, ordered by step, then hook (resid_pre before
    /// resid_post), then layer.
    public func residNorms(ofRun run: String) throws -> [ResidNorm] {
        let id = try runID(named: run)
        var norms: [ResidNorm] = []
        try connection.forEachRow("""
            SELECT c.step, n.layer, n.hook, n.norm FROM resid_norm n JOIN checkpoint c USING (checkpoint_id)
            WHERE c.run_id = ? ORDER BY c.step, n.hook DESC, n.layer
            """, [.integer(id)]) {
            norms.append(ResidNorm(step: $0.int(at: 0), layer: $0.int(at: 1), hook: $0.string(at: 2), norm: $0.double(at: 3)))
        }
        return norms
    }

    /// The run's W_OV Frobenius norms, ordered by step, layer and head.
    public func wovNorms(ofRun run: String) throws -> [WOVNorm] {
        let id = try runID(named: run)
        var norms: [WOVNorm] = []
        try connection.forEachRow("""
            SELECT c.step, w.layer, w.head, w.frobenius_norm FROM wov_norm w JOIN checkpoint c USING (checkpoint_id)
            WHERE c.run_id = ? ORDER BY c.step, w.layer, w.head
            """, [.integer(id)]) {
            norms.append(WOVNorm(step: $0.int(at: 0), layer: $0.int(at: 1), head: $0.int(at: 2), frobeniusNorm: $0.double(at: 3)))
        }
        return norms
    }

    /// How many residual-norm and W_OV-norm rows the run has.
    func normCounts(runID: Int64) throws -> (resid: Int, wov: Int) {
        let resid = try connection.scalar("SELECT count(*) FROM resid_norm JOIN checkpoint USING (checkpoint_id) WHERE run_id = ?", [.integer(runID)])?.int64 ?? 0
        let wov = try connection.scalar("SELECT count(*) FROM wov_norm JOIN checkpoint USING (checkpoint_id) WHERE run_id = ?", [.integer(runID)])?.int64 ?? 0
        return (Int(resid), Int(wov))
    }
}
