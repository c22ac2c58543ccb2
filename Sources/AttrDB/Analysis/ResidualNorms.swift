/// `attrdb norms`: residual-stream norm growth per layer at each checkpoint (see
/// ``NormGrowth/residual(store:run:checkpoints:wide:)``), with each hook's norm when wide.
public struct ResidualNorms: TabularResult {
    /// The wide columns' hooks (`resid_pre_0`, …, `resid_post_N`); empty when not wide.
    public var hooks: [String]
    public var rows: [ResidualNormRow]

    public var columns: [ResultColumn] {
        Array(ResidualNormRow.documentedColumns.prefix(2)) + hooks.map { ResidualNormRow.hookNorm.named($0) }
    }

    public init(hooks: [String], rows: [ResidualNormRow]) {
        self.hooks = hooks
        self.rows = rows
    }
}

/// One checkpoint's norm growth.
public struct ResidualNormRow: ResultRow, Equatable {
    public var step: Int
    /// nil when the checkpoint has fewer than two `resid_pre` norms to fit.
    public var growthPercentPerLayer: Double?
    /// The norm at each of the result's hooks; nil where the checkpoint has none.
    public var norms: [Double?]

    public init(step: Int, growthPercentPerLayer: Double?, norms: [Double?]) {
        self.step = step
        self.growthPercentPerLayer = growthPercentPerLayer
        self.norms = norms
    }

    static let growth = ResultColumn("growth_pct_per_layer", .double, unit: "percent per layer", nullable: true,
                                     meaning: "100·(exp(slope) − 1), slope of ln(norm) against layer by least squares over the resid_pre hooks: how much the residual norm grows from one layer to the next (negative: shrinks); empty with fewer than two norms")
    static let hookNorm = ResultColumn("<hook>_<layer>", .double, nullable: true,
                                       meaning: "--wide: one column per hook, resid_pre_0, resid_pre_1, …, resid_post_N: the residual stream's norm there as stored; empty where the checkpoint has none")

    public static let documentedColumns: [ResultColumn] = [.checkpointStep, growth, hookNorm]

    public var cells: [Cell] {
        [.int(step), growthPercentPerLayer.map(Cell.double) ?? .null] + norms.map { $0.map(Cell.double) ?? .null }
    }
}
