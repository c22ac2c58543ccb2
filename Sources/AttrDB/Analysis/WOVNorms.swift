/// `attrdb norms --wov`: W_OV Frobenius norms per head, with each checkpoint's growth over layers
/// (see ``NormGrowth/wov(store:run:checkpoints:)``).
public struct WOVNorms: TabularResult {
    public var rows: [WOVNormRow]

    public init(rows: [WOVNormRow]) {
        self.rows = rows
    }
}

/// One head's W_OV norm at one checkpoint.
public struct WOVNormRow: ResultRow, Equatable {
    public var step: Int
    public var layer: Int
    public var head: Int
    public var frobeniusNorm: Double
    /// The checkpoint's growth, the same on each of its heads; nil when it cannot be fitted.
    public var growthPercentPerLayer: Double?

    public init(step: Int, layer: Int, head: Int, frobeniusNorm: Double, growthPercentPerLayer: Double?) {
        self.step = step
        self.layer = layer
        self.head = head
        self.frobeniusNorm = frobeniusNorm
        self.growthPercentPerLayer = growthPercentPerLayer
    }

    public static let documentedColumns: [ResultColumn] = [
        .checkpointStep,
        ResultColumn("layer", .integer, meaning: "the head's layer"),
        ResultColumn("head", .integer, meaning: "the head's number within its layer"),
        ResultColumn("frobenius_norm", .double, meaning: "‖W_OV‖_F, the Frobenius norm of the head's OV circuit as stored"),
        ResultColumn("growth_pct_per_layer", .double, unit: "percent per layer", nullable: true,
                     meaning: "100·(exp(slope) − 1), slope of ln(frobenius_norm) against layer by least squares over every head of the checkpoint (the same on each of its rows); empty when it cannot be fitted"),
    ]

    public var cells: [Cell] {
        [.int(step), .int(layer), .int(head), .double(frobeniusNorm), growthPercentPerLayer.map(Cell.double) ?? .null]
    }
}
