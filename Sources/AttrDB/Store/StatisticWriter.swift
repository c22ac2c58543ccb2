/// Writes per-checkpoint statistics — losses, residual norms, W_OV norms — through one upsert:
/// an identical stored value is left alone, a different one replaced only when asked.
extension Store {
    /// A statistics table: its key columns and its one value column.
    struct StatisticTable: Sendable {
        let table: String
        /// The stored value under a key.
        let selectSQL: String
        /// Inserts a key's value, or replaces the one stored.
        let upsertSQL: String

        init(table: String, keys: [String], value: String) {
            self.table = table
            selectSQL = "SELECT \(value) FROM \(table) WHERE " + keys.map { "\($0) = ?" }.joined(separator: " AND ")
            let columns = keys + [value]
            upsertSQL = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", "))) "
                + "ON CONFLICT (\(keys.joined(separator: ", "))) DO UPDATE SET \(value) = excluded.\(value)"
        }

        static let checkpointStat = StatisticTable(table: "checkpoint_stat", keys: ["checkpoint_id", "name"], value: "value")
        static let residNorm = StatisticTable(table: "resid_norm", keys: ["checkpoint_id", "layer", "hook"], value: "norm")
        static let wovNorm = StatisticTable(table: "wov_norm", keys: ["checkpoint_id", "layer", "head"], value: "frobenius_norm")
    }

    /// What an upsert did.
    enum StatisticOutcome: Equatable {
        case inserted, unchanged, replaced
        /// A different value is stored and replacing was not allowed: nothing was written.
        case conflict(stored: SQLValue)
    }

    /// Stores `value` under `key` in `table`. Both statements are cached: a statistic row costs
    /// two steps, no compiles.
    func upsert(_ table: StatisticTable, key: [SQLValue], value: SQLValue, replace: Bool) throws -> StatisticOutcome {
        let stored = try connection.scalar(table.selectSQL, key)
        if let stored {
            if stored == value || (stored.double != nil && stored.double == value.double) { return .unchanged }
            guard replace else { return .conflict(stored: stored) }
        }
        try connection.run(table.upsertSQL, key + [value])
        return stored == nil ? .inserted : .replaced
    }
}
