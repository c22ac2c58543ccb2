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
            var shares = row
            shares.withUnsafeMutableBufferPointer { toShares($0) }
            return shares
        }
    }

    /// One checkpoint's masses made its shares, in place: each over the total of all of them
    /// (added in order), 0 when the total is 0. The one definition the streamed and the held
    /// events share, so both give the same Doubles.
    static func toShares(_ row: UnsafeMutableBufferPointer<Double>) {
        var total = 0.0
        for mass in row { total += mass }
        guard total != 0 else { return row.update(repeating: 0) }
        for p in row.indices { row[p] /= total }
    }

    /// Each component whose share crosses `cutoff` from `before` to `after`, in component order:
    /// `exit` when a share at or above the cut-off falls below it, `enter` when one below rises to
    /// or above it (a NaN share crosses nothing).
    @inline(__always)
    static func crossings(_ before: UnsafeBufferPointer<Double>, _ after: UnsafeBufferPointer<Double>, cutoff: Double,
                          _ found: (Int, TurnoverEventRow.Event) -> Void) {
        for p in before.indices {
            let b = before[p], a = after[p]
            if b >= cutoff && a < cutoff { found(p, .exit) } else if b < cutoff && a >= cutoff { found(p, .enter) }
        }
    }

    /// One row per crossing: `exit` when a share at or above the cut-off falls below it, `enter`
    /// when one below rises to or above it.
    public static func events(_ masses: ComponentMasses, cutoff: Double) -> TurnoverEvents {
        let shares = shares(masses)
        var rows: [TurnoverEventRow] = []
        for c in shares.indices.dropFirst() {
            shares[c - 1].withUnsafeBufferPointer { before in
                shares[c].withUnsafeBufferPointer { after in
                    crossings(before, after, cutoff: cutoff) { p, event in
                        rows.append(TurnoverEventRow(step: masses.steps[c], previousStep: masses.steps[c - 1], component: masses.components[p],
                                                     event: event, shareBefore: before[p], shareAfter: after[p]))
                    }
                }
            }
        }
        return TurnoverEvents(rows: rows)
    }

    /// The events of a selection, as ``events(_:cutoff:)-(ComponentMasses,_)`` finds them from its
    /// ``ComponentMasses``, streamed: one checkpoint's shares read at a time and two held, where the
    /// masses of every checkpoint took 64 MB at 10⁹ values (908 MB at the 1.45 × 10¹⁰ layout).
    /// The pairs are split over both cores (``ParallelCheckpoints``), the second half starting from
    /// the checkpoint before its first pair; the rows come back in pair order.
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
            guard let first = part.first else { return [TurnoverEventRow]() }
            let reader = try MassReader(scan, selection: selection, mode: .absolute, fromSummaries: whole)
            var before = UnsafeMutableBufferPointer<Double>.allocate(capacity: components.count)
            var after = UnsafeMutableBufferPointer<Double>.allocate(capacity: components.count)
            defer { before.deallocate(); after.deallocate() }
            try reader.read(checkpoint: checkpoints[first - 1], into: before)
            toShares(before)
            var rows: [TurnoverEventRow] = []
            for c in part {
                try reader.read(checkpoint: checkpoints[c], into: after)
                toShares(after)
                crossings(UnsafeBufferPointer(before), UnsafeBufferPointer(after), cutoff: cutoff) { p, event in
                    rows.append(TurnoverEventRow(step: steps[c], previousStep: steps[c - 1], component: components[p], event: event,
                                                 shareBefore: before[p], shareAfter: after[p]))
                }
                swap(&before, &after)
            }
            return rows
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
