/// The crossings of ``Turnover``: one row per component whose share crossed the cut-off between
/// consecutive selected checkpoints.
public struct TurnoverEvents: TabularResult {
    public var rows: [TurnoverEventRow]

    public init(rows: [TurnoverEventRow]) {
        self.rows = rows
    }
}

/// One crossing of the cut-off.
public struct TurnoverEventRow: ResultRow, Equatable {
    public enum Event: String, Sendable {
        /// The share rose from below the cut-off to at or above it.
        case enter
        /// The share fell from at or above the cut-off to below it: priced out.
        case exit
    }

    public var step: Int
    public var previousStep: Int
    public var component: Component
    public var event: Event
    public var shareBefore: Double
    public var shareAfter: Double

    public init(step: Int, previousStep: Int, component: Component, event: Event, shareBefore: Double, shareAfter: Double) {
        self.step = step
        self.previousStep = previousStep
        self.component = component
        self.event = event
        self.shareBefore = shareBefore
        self.shareAfter = shareAfter
    }

    static let shareMeaning = "the component's sum of |value| over the selected coefficients / the total over every selected component at "

    public static let documentedColumns: [ResultColumn] = [
        .checkpointStep,
        ResultColumn("previous_step", .integer, meaning: "the selected checkpoint before it: the crossing happened between previous_step and checkpoint_step"),
        .component, .layer, .kind,
        ResultColumn("event", .text, meaning: "enter: the share rose to or above --cutoff; exit: it fell below (priced out)"),
        ResultColumn("share_before", .double, unit: "fraction of the checkpoint's mass", meaning: shareMeaning + "previous_step"),
        ResultColumn("share_after", .double, unit: "fraction of the checkpoint's mass", meaning: shareMeaning + "checkpoint_step"),
    ]

    public var cells: [Cell] {
        [.int(step), .int(previousStep), .text(component.label), .int(component.layer), .text(component.kind.rawValue), .text(event.rawValue),
         .double(shareBefore), .double(shareAfter)]
    }

    public func appendCells(to cells: inout [Cell]) {
        cells.append(.int(step)); cells.append(.int(previousStep)); cells.append(.text(component.label)); cells.append(.int(component.layer))
        cells.append(.text(component.kind.rawValue)); cells.append(.text(event.rawValue)); cells.append(.double(shareBefore)); cells.append(.double(shareAfter))
    }
}
