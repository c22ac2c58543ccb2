/// Reads the statistics files of a dataset folder: `losses.csv`, `resid_norms.csv`, `wov_norms.csv`.
enum StatisticsReader {
    /// `checkpoint_step` and any further numeric columns (train_loss, test_acc, …); an empty field is null.
    static func losses(path: String) throws -> [CheckpointStat] {
        var stats: [CheckpointStat] = []
        let header = try CSVReader(path: path).read(required: ["checkpoint_step"]) { row in
            let step = try row.int("checkpoint_step")
            for name in row.header.names where name != "checkpoint_step" {
                stats.append(CheckpointStat(step: step, name: name, value: try row.optionalDouble(name)))
            }
        }
        if header.names.count < 2 {
            throw IngestError(file: path, location: .line(1), expected: "checkpoint_step and at least one statistic column", found: header.names.joined(separator: ","))
        }
        return stats
    }

    /// `checkpoint_step,layer,hook,norm`.
    static func residNorms(path: String) throws -> [ResidNorm] {
        var norms: [ResidNorm] = []
        try CSVReader(path: path).read(required: ["checkpoint_step", "layer", "hook", "norm"]) { row in
            norms.append(ResidNorm(step: try row.int("checkpoint_step"), layer: try row.int("layer"), hook: row.text("hook") ?? "", norm: try row.double("norm")))
        }
        return norms
    }

    /// `checkpoint_step,layer,head,frobenius_norm`.
    static func wovNorms(path: String) throws -> [WOVNorm] {
        var norms: [WOVNorm] = []
        try CSVReader(path: path).read(required: ["checkpoint_step", "layer", "head", "frobenius_norm"]) { row in
            norms.append(WOVNorm(step: try row.int("checkpoint_step"), layer: try row.int("layer"), head: try row.int("head"), frobeniusNorm: try row.double("frobenius_norm")))
        }
        return norms
    }
}
