/// Turnover: components whose share of the checkpoint's mass crosses a cut-off between
/// consecutive selected checkpoints — those that enter, and those priced out as training goes on.
public enum Turnover {
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
    public static func events(_ masses: ComponentMasses, cutoff: Double) -> TurnoverEvents {
        let shares = shares(masses)
        var rows: [TurnoverEventRow] = []
        for c in shares.indices.dropFirst() {
            for (p, component) in masses.components.enumerated() {
                let before = shares[c - 1][p], after = shares[c][p]
                let event: TurnoverEventRow.Event? = before >= cutoff && after < cutoff ? .exit : before < cutoff && after >= cutoff ? .enter : nil
                guard let event else { continue }
                rows.append(TurnoverEventRow(step: masses.steps[c], previousStep: masses.steps[c - 1], component: component, event: event,
                                             shareBefore: before, shareAfter: after))
            }
        }
        return TurnoverEvents(rows: rows)
    }

    /// `turnover --summary` of a selection: the masses of its first and last checkpoints only, the
    /// two the summary compares, so a run of 1 000 checkpoints reads 2 of them.
    public static func summary(_ selection: ResolvedSelection, cutoff: Double) throws -> TurnoverSummary {
        summary(try ComponentMasses(selection.endpoints()), cutoff: cutoff)
    }

    /// From the first selected checkpoint to the last: how many components were above the cut-off,
    /// how many of those are below it at the end (priced out), and how many entered. No row when
    /// nothing is selected.
    public static func summary(_ masses: ComponentMasses, cutoff: Double) -> TurnoverSummary {
        let shares = shares(masses)
        guard let first = shares.first, let last = shares.last, let firstStep = masses.steps.first, let lastStep = masses.steps.last else {
            return TurnoverSummary(rows: [])
        }
        let labels = masses.components.map(\.label)
        return TurnoverSummary(rows: [TurnoverSummaryRow(
            firstStep: firstStep, lastStep: lastStep, cutoff: cutoff,
            aboveAtFirst: first.filter { $0 >= cutoff }.count, aboveAtLast: last.filter { $0 >= cutoff }.count,
            pricedOut: labels.indices.filter { first[$0] >= cutoff && last[$0] < cutoff }.map { labels[$0] },
            entered: labels.indices.filter { first[$0] < cutoff && last[$0] >= cutoff }.map { labels[$0] })])
    }
}
