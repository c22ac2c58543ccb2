/// `compare`: two runs' layer shares at paired checkpoints (see ``Comparison``).
public struct CapacityComparison: TabularResult {
    public var rows: [CapacityComparisonRow]

    public init(rows: [CapacityComparisonRow]) {
        self.rows = rows
    }
}

/// One layer at one pair of checkpoints.
public struct CapacityComparisonRow: ResultRow, Equatable {
    public var stepA: Int
    public var stepB: Int
    public var layer: Int
    public var shareA: Double
    public var shareB: Double

    public init(stepA: Int, stepB: Int, layer: Int, shareA: Double, shareB: Double) {
        self.stepA = stepA
        self.stepB = stepB
        self.layer = layer
        self.shareA = shareA
        self.shareB = shareB
    }

    /// B − A: positive when the second run gives the layer more of its capacity.
    public var difference: Double { shareB - shareA }

    static let stepA = ResultColumn("checkpoint_step_a", .integer, meaning: "the checkpoint of the first --run")
    static let stepB = ResultColumn("checkpoint_step_b", .integer, meaning: "the checkpoint of the second --run paired with it: the same step (--align exact) or the nearest (--align nearest)")
    static let shareMeaning = "the layer's mass (sum of |value| over its components and the selected coefficients) / the run's total mass at the checkpoint; 0 when the run has no such layer"

    public static let documentedColumns: [ResultColumn] = [
        stepA, stepB, ResultColumn.layer,
        ResultColumn("share_a", .double, unit: "fraction of the checkpoint's mass", meaning: "first run: " + shareMeaning),
        ResultColumn("share_b", .double, unit: "fraction of the checkpoint's mass", meaning: "second run: " + shareMeaning),
        ResultColumn("difference", .double, unit: "fraction of the checkpoint's mass",
                     meaning: "share_b − share_a: positive when the second run gives the layer more of its capacity"),
    ]

    public var cells: [Cell] { [.int(stepA), .int(stepB), .int(layer), .double(shareA), .double(shareB), .double(difference)] }
}
