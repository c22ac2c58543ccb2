/// `turnover --summary`: from the first selected checkpoint to the last, who held capacity, who
/// was priced out and who entered. One row (none when nothing is selected).
public struct TurnoverSummary: TabularResult {
    public var rows: [TurnoverSummaryRow]

    public init(rows: [TurnoverSummaryRow]) {
        self.rows = rows
    }
}

/// The first-to-last comparison of ``TurnoverSummary``.
public struct TurnoverSummaryRow: ResultRow, Equatable {
    public var firstStep: Int
    public var lastStep: Int
    public var cutoff: Double
    public var aboveAtFirst: Int
    public var aboveAtLast: Int
    /// Labels of the components at or above the cut-off at the first checkpoint and below it at the last, in run order.
    public var pricedOut: [String]
    /// Labels of the components below the cut-off at the first checkpoint and at or above it at the last, in run order.
    public var entered: [String]

    public init(firstStep: Int, lastStep: Int, cutoff: Double, aboveAtFirst: Int, aboveAtLast: Int, pricedOut: [String], entered: [String]) {
        self.firstStep = firstStep
        self.lastStep = lastStep
        self.cutoff = cutoff
        self.aboveAtFirst = aboveAtFirst
        self.aboveAtLast = aboveAtLast
        self.pricedOut = pricedOut
        self.entered = entered
    }

    public static let documentedColumns: [ResultColumn] = [
        ResultColumn("first_step", .integer, meaning: "the first selected checkpoint's step"),
        ResultColumn("last_step", .integer, meaning: "the last selected checkpoint's step"),
        ResultColumn("cutoff", .double, unit: "fraction of the checkpoint's mass", meaning: "--cutoff: the share that counts as holding capacity"),
        ResultColumn("above_at_first", .integer, meaning: "components whose share is at or above the cut-off at first_step"),
        ResultColumn("above_at_last", .integer, meaning: "components whose share is at or above the cut-off at last_step"),
        ResultColumn("priced_out", .integer, meaning: "components at or above the cut-off at first_step and below it at last_step"),
        ResultColumn("entered", .integer, meaning: "components below the cut-off at first_step and at or above it at last_step"),
        ResultColumn("priced_out_components", .text, meaning: "the priced-out components' labels, separated by spaces, in run order"),
        ResultColumn("entered_components", .text, meaning: "the entered components' labels, separated by spaces, in run order"),
    ]

    public var cells: [Cell] {
        [.int(firstStep), .int(lastStep), .double(cutoff), .int(aboveAtFirst), .int(aboveAtLast), .int(pricedOut.count), .int(entered.count),
         .text(pricedOut.joined(separator: " ")), .text(entered.joined(separator: " "))]
    }
}
