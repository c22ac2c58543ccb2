/// `compare`: two runs' layer shares at paired checkpoints (see ``Comparison``).
///
/// Kept by columns: each pair's steps, the layers, and each (pair, layer)'s two shares, pair after
/// pair; a row is made only as it is written (``forEachRow(_:)``): 81 000 of them at 10⁹ values.
public struct CapacityComparison: TabularResult {
    /// Each compared pair's steps: the first run's, and the second run's paired with it.
    public let steps: [(a: Int, b: Int)]
    /// The layers of either run, ascending.
    public let layers: [Int]
    private let sharesA: [Double]
    private let sharesB: [Double]

    /// `sharesA` and `sharesB` hold each pair's shares of `layers`, pair after pair.
    init(steps: [(a: Int, b: Int)], layers: [Int], sharesA: [Double], sharesB: [Double]) {
        precondition(sharesA.count == steps.count * layers.count && sharesB.count == sharesA.count)
        self.steps = steps
        self.layers = layers
        self.sharesA = sharesA
        self.sharesB = sharesB
    }

    /// One row per pair and layer.
    public var rows: [CapacityComparisonRow] { rowsMade(count: sharesA.count) }

    public func forEachRow(_ body: (CapacityComparisonRow) throws -> Void) rethrows {
        for (p, pair) in steps.enumerated() {
            let first = p * layers.count
            for (l, layer) in layers.enumerated() {
                try body(CapacityComparisonRow(stepA: pair.a, stepB: pair.b, layer: layer, shareA: sharesA[first + l], shareB: sharesB[first + l]))
            }
        }
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

    public func appendCells(to cells: inout [Cell]) {
        cells.append(.int(stepA)); cells.append(.int(stepB)); cells.append(.int(layer))
        cells.append(.double(shareA)); cells.append(.double(shareB)); cells.append(.double(difference))
    }
}
