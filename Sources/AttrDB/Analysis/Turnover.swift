/// Turnover: components whose share of the checkpoint's mass crosses a cut-off between
/// consecutive selected checkpoints — those that enter, and those priced out as training goes on.
public enum Turnover {
    public static let columns = ["checkpoint_step", "previous_step", "component", "layer", "kind", "event", "share_before", "share_after"]
    public static let summaryColumns = ["first_step", "last_step", "cutoff", "above_at_first", "above_at_last", "priced_out", "entered", "priced_out_components", "entered_components"]

    /// Turnover's events lie between consecutive selected checkpoints: a selection of fewer than two
    /// could only print an empty table, which would read as "nothing changed". The command refuses it;
    /// the report, which shows turnover beside everything else, does not ask.
    public static func requireTwoCheckpoints(_ selection: ResolvedSelection) throws {
        guard selection.checkpoints.count < 2 else { return }
        let stored = selection.scan.checkpoints.count
        throw SelectionError("turnover compares consecutive checkpoints, and the selection takes \(selection.checkpoints.count) of the \(stored) "
            + "stored in run '\(Escape.terminal(selection.scan.run))': select two or more (all, A:B or every:N)")
    }

    /// Shares per checkpoint: each component's mass over the checkpoint's total.
    static func shares(_ masses: ComponentMasses) -> [[Double]] {
        masses.masses.map { row in
            let total = row.reduce(0, +)
            return row.map { total != 0 ? $0 / total : 0 }
        }
    }

    /// One row per crossing: `exit` when a share at or above the cut-off falls below it, `enter`
    /// when one below rises to or above it.
    public static func events(_ masses: ComponentMasses, cutoff: Double) -> ResultTable {
        let shares = shares(masses)
        var rows: [[Cell]] = []
        for c in shares.indices.dropFirst() {
            for (p, component) in masses.components.enumerated() {
                let before = shares[c - 1][p], after = shares[c][p]
                let event: String? = before >= cutoff && after < cutoff ? "exit" : before < cutoff && after >= cutoff ? "enter" : nil
                guard let event else { continue }
                rows.append([.int(masses.steps[c]), .int(masses.steps[c - 1]), .text(component.label), .int(component.layer),
                             .text(component.kind.rawValue), .text(event), .double(before), .double(after)])
            }
        }
        return ResultTable(columns: columns, rows: rows)
    }

    /// From the first selected checkpoint to the last: how many components were above the cut-off,
    /// how many of those are below it at the end (priced out), and how many entered.
    public static func summary(_ masses: ComponentMasses, cutoff: Double) -> ResultTable {
        let shares = shares(masses)
        guard let first = shares.first, let last = shares.last, let firstStep = masses.steps.first, let lastStep = masses.steps.last else {
            return ResultTable(columns: summaryColumns)
        }
        let labels = masses.components.map(\.label)
        let pricedOut = labels.indices.filter { first[$0] >= cutoff && last[$0] < cutoff }
        let entered = labels.indices.filter { first[$0] < cutoff && last[$0] >= cutoff }
        return ResultTable(columns: summaryColumns, rows: [[
            .int(firstStep), .int(lastStep), .double(cutoff),
            .int(first.filter { $0 >= cutoff }.count), .int(last.filter { $0 >= cutoff }.count),
            .int(pricedOut.count), .int(entered.count),
            .text(pricedOut.map { labels[$0] }.joined(separator: " ")), .text(entered.map { labels[$0] }.joined(separator: " ")),
        ]])
    }
}
