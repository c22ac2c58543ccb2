/// Each checkpoint's weights hash (`checkpoint.weights_sha256`, schema 3): stored by a frame stream's
/// `K` frames, read by `attrdb check` and `attrdb show` to find checkpoints with identical weights.
extension Store {
    /// Stores `hash` as the weights hash of the checkpoint `checkpointID`: the same hash again
    /// changes nothing, a different one is replaced only when `replace` (else nothing is written).
    func setWeightsHash(_ hash: WeightsHash, checkpointID: Int64, replace: Bool) throws -> StatisticOutcome {
        let stored = try connection.scalar("SELECT weights_sha256 FROM checkpoint WHERE checkpoint_id = ?", [.integer(checkpointID)])
        let known = stored == .null ? nil : stored
        if let known {
            if known == .text(hash.hex) { return .unchanged }
            guard replace else { return .conflict(stored: known) }
        }
        try connection.run("UPDATE checkpoint SET weights_sha256 = ? WHERE checkpoint_id = ?", [.text(hash.hex), .integer(checkpointID)])
        return known == nil ? .inserted : .replaced
    }

    /// Groups of checkpoints sharing one weights hash, in every run (or the run `runID`), ordered by
    /// run name and first step.
    public func duplicateWeights(runID: Int64? = nil) throws -> [DuplicateWeights] {
        var groups: [DuplicateWeights] = []
        try connection.forEachRow("""
            SELECT r.name, c.weights_sha256, group_concat(c.step, ',') FROM
                (SELECT run_id, step, weights_sha256 FROM checkpoint
                 WHERE weights_sha256 IS NOT NULL AND (?1 IS NULL OR run_id = ?1) ORDER BY run_id, step) c
            JOIN run r USING (run_id)
            GROUP BY c.run_id, c.weights_sha256 HAVING count(*) > 1
            ORDER BY r.name, min(c.step)
            """, [runID.map(SQLValue.integer) ?? .null]) {
            guard let hash = WeightsHash(hex: $0.string(at: 1)) else { return }
            groups.append(DuplicateWeights(run: $0.string(at: 0), hash: hash, steps: $0.string(at: 2).split(separator: ",").compactMap { Int($0) }))
        }
        return groups
    }

    /// How many of the run's checkpoints have a weights hash.
    func weightsHashCount(runID: Int64) throws -> Int {
        Int(try connection.scalar("SELECT count(*) FROM checkpoint WHERE run_id = ? AND weights_sha256 IS NOT NULL", [.integer(runID)])?.int64 ?? 0)
    }
}
