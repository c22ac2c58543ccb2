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

    /// Shares per checkpoint: each component's mass over the checkpoint's total (``CutoffShares``
    /// compares the same shares with a cut-off).
    static func shares(_ masses: ComponentMasses) -> [[Double]] {
        masses.masses.map { row in
            let total = row.reduce(0, +)
            return row.map { total != 0 ? $0 / total : 0 }
        }
    }

    /// Each component whose share crosses the cut-off from `before` to `after`, in component order:
    /// `exit` when a share at or above the cut-off falls below it, `enter` when one below rises to
    /// or above it (a NaN share crosses nothing).
    @inline(__always)
    static func crossings(_ before: CutoffShares, _ after: CutoffShares, _ found: (Int, TurnoverEventRow.Event) -> Void) {
        if let b = before.threshold, let a = after.threshold {
            // The common case, one comparison a mass: a component whose side did not change is no event.
            let previous = before.masses, current = after.masses
            for p in previous.indices where (previous[p] >= b) != (current[p] >= a) {
                crossing(before, after, p, found)
            }
        } else {
            for p in before.masses.indices { crossing(before, after, p, found) }
        }
    }

    @inline(__always)
    private static func crossing(_ before: CutoffShares, _ after: CutoffShares, _ p: Int, _ found: (Int, TurnoverEventRow.Event) -> Void) {
        if before.isAbove(p) && after.isBelow(p) { found(p, .exit) } else if before.isBelow(p) && after.isAbove(p) { found(p, .enter) }
    }

    /// The row of a crossing of component `p` between positions `c - 1` and `c`.
    @inline(__always)
    private static func row(_ p: Int, _ event: TurnoverEventRow.Event, _ before: CutoffShares, _ after: CutoffShares, steps: [Int], _ c: Int,
                            components: [Component]) -> TurnoverEventRow {
        TurnoverEventRow(step: steps[c], previousStep: steps[c - 1], component: components[p], event: event,
                         shareBefore: before.share(p), shareAfter: after.share(p))
    }

    /// One row per crossing: `exit` when a share at or above the cut-off falls below it, `enter`
    /// when one below rises to or above it.
    public static func events(_ masses: ComponentMasses, cutoff: Double) -> TurnoverEvents {
        var rows: [TurnoverEventRow] = []
        for c in masses.masses.indices.dropFirst() {
            masses.masses[c - 1].withUnsafeBufferPointer { previous in
                masses.masses[c].withUnsafeBufferPointer { current in
                    let before = CutoffShares(previous, total: CutoffShares.total(previous), cutoff: cutoff)
                    let after = CutoffShares(current, total: CutoffShares.total(current), cutoff: cutoff)
                    crossings(before, after) { p, event in
                        rows.append(row(p, event, before, after, steps: masses.steps, c, components: masses.components))
                    }
                }
            }
        }
        return TurnoverEvents(rows: rows)
    }

    /// The events of a selection, as ``events(_:cutoff:)-(ComponentMasses,_)`` finds them from its
    /// ``ComponentMasses``, streamed: one checkpoint's masses read at a time and two held, where the
    /// masses and shares of every checkpoint took 128 MB at 10⁹ values (1.8 GB at the 1.45 × 10¹⁰
    /// layout). The pairs are split over both cores (``ParallelCheckpoints``), the second half
    /// starting from the checkpoint before its first pair; the rows come back in pair order.
    public static func events(_ selection: ResolvedSelection, cutoff: Double) throws -> TurnoverEvents {
        try events(selection, cutoff: cutoff, minimumBytes: ParallelCheckpoints.minimumBytes)
    }

    /// `minimumBytes` is ``ParallelCheckpoints``' (the tests split a small store with 0).
    static func events(_ selection: ResolvedSelection, cutoff: Double, minimumBytes: Int) throws -> TurnoverEvents {
        let checkpoints = selection.checkpoints, steps = selection.steps
        let components = selection.components.map { selection.scan.components[$0] }
        let whole = ComponentMasses.fromSummaries(selection)
        // Each pair by the position of its later checkpoint.
        let pairs = Array(checkpoints.indices.dropFirst())
        let bytes = ComponentMasses.bytesPerCheckpoint(selection, fromSummaries: whole)
        let rows = try ParallelCheckpoints.map(selection.scan, pairs, bytesPerCheckpoint: bytes, minimumBytes: minimumBytes) { scan, part in
            guard let first = part.first, let last = part.last else { return [TurnoverEventRow]() }
            let reader = try MassReader(scan, selection: selection, mode: .absolute, fromSummaries: whole)
            var previous = UnsafeMutableBufferPointer<Double>.allocate(capacity: components.count)
            var current = UnsafeMutableBufferPointer<Double>.allocate(capacity: components.count)
            defer { previous.deallocate(); current.deallocate() }
            // One read transaction a half: the shared lock taken once, not per statement.
            return try scan.store.reading {
                try reader.prefetchTotals(of: checkpoints[(first - 1)...last])
                func read(_ position: Int, into masses: UnsafeMutableBufferPointer<Double>) throws -> CutoffShares {
                    let total = try reader.read(checkpoint: checkpoints[position], into: masses) ?? CutoffShares.total(UnsafeBufferPointer(masses))
                    return CutoffShares(UnsafeBufferPointer(masses), total: total, cutoff: cutoff)
                }
                var before = try read(first - 1, into: previous)
                var rows: [TurnoverEventRow] = []
                for c in part {
                    let after = try read(c, into: current)
                    crossings(before, after) { p, event in
                        rows.append(row(p, event, before, after, steps: steps, c, components: components))
                    }
                    swap(&previous, &current)
                    before = after
                }
                return rows
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
