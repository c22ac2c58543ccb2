/// Per-checkpoint statistics an ingest records beside its matrices, all through the store's one
/// statistic upsert.
extension Recorder {
    /// Records per-checkpoint scalars such as losses and accuracies.
    public func record(stats: [CheckpointStat]) throws {
        try guarded {
            for stat in stats {
                try record(.checkpointStat, step: stat.step, key: [.text(stat.name)], value: SQLValue(stat.value),
                           what: "\(stat.name) at checkpoint \(stat.step)")
            }
        }
    }

    /// Records mean residual-stream norms.
    public func record(residNorms: [ResidNorm]) throws {
        try guarded {
            for norm in residNorms {
                try record(.residNorm, step: norm.step, key: [.integer(Int64(norm.layer)), .text(norm.hook)], value: .real(norm.norm),
                           what: "residual norm at layer \(norm.layer) \(norm.hook), checkpoint \(norm.step)")
            }
        }
    }

    /// Records W_OV Frobenius norms per head.
    public func record(wovNorms: [WOVNorm]) throws {
        try guarded {
            for norm in wovNorms {
                try record(.wovNorm, step: norm.step, key: [.integer(Int64(norm.layer)), .integer(Int64(norm.head))], value: .real(norm.frobeniusNorm),
                           what: "W_OV norm of L\(norm.layer)H\(norm.head), checkpoint \(norm.step)")
            }
        }
    }

    /// Records the SHA-256 of the model weights at checkpoint `step` (creating the checkpoint when
    /// missing, as statistics do): the same hash again changes nothing, another one is a conflict
    /// unless `replace`.
    public func record(weightsHash hash: WeightsHash, step: Int) throws {
        try guarded {
            let checkpoint = try matrices.checkpointID(step: step).id
            switch try store.setWeightsHash(hash, checkpointID: checkpoint, replace: options.replace) {
            case .unchanged:
                return
            case .inserted, .replaced:
                summary.statistics += 1
            case .conflict(let stored):
                throw IngestError(file: source, message: "the weights of checkpoint \(step) are already stored with sha256 \(stored.string ?? "?"), the input says \(hash.hex); use --replace to overwrite", kind: .conflict)
            }
        }
    }

    /// Stores one statistic of the checkpoint at `step` (`key` after the checkpoint's id); an
    /// identical stored one is left alone, a different one replaced or refused.
    private func record(_ table: Store.StatisticTable, step: Int, key: [SQLValue], value: SQLValue, what: String) throws {
        let checkpoint = try matrices.checkpointID(step: step).id
        switch try store.upsert(table, key: [.integer(checkpoint)] + key, value: value, replace: options.replace) {
        case .unchanged:
            return
        case .inserted, .replaced:
            summary.statistics += 1
        case .conflict(let stored):
            throw IngestError(file: source, message: "\(what) is already stored as \(stored.double.map { "\($0)" } ?? "null"), the input says \(value.double.map { "\($0)" } ?? "null"); use --replace to overwrite", kind: .conflict)
        }
    }
}
