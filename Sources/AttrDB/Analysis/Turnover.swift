import Foundation

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
        shares(masses.masses)
    }

    static func shares(_ masses: [[Double]]) -> [[Double]] {
        masses.map { row in
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

    /// A crossing of the kept component `p` between checkpoint positions `c - 1` and `c`, before
    /// its component row is read.
    struct Crossing {
        var c: Int
        var p: Int
        var event: TurnoverEventRow.Event
        var shareBefore: Double
        var shareAfter: Double

        @inline(__always)
        init(_ p: Int, _ event: TurnoverEventRow.Event, _ before: CutoffShares, _ after: CutoffShares, _ c: Int) {
            self.init(c: c, p: p, event: event, shareBefore: before.share(p), shareAfter: after.share(p))
        }

        init(c: Int, p: Int, event: TurnoverEventRow.Event, shareBefore: Double, shareAfter: Double) {
            self.c = c
            self.p = p
            self.event = event
            self.shareBefore = shareBefore
            self.shareAfter = shareAfter
        }

        func row(steps: [Int], component: Component) -> TurnoverEventRow {
            TurnoverEventRow(step: steps[c], previousStep: steps[c - 1], component: component, event: event,
                             shareBefore: shareBefore, shareAfter: shareAfter)
        }
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
                        rows.append(Crossing(p, event, before, after, c).row(steps: masses.steps, component: masses.components[p]))
                    }
                }
            }
        }
        return TurnoverEvents(rows: rows)
    }

    /// The events of a selection, as ``events(_:cutoff:)-(ComponentMasses,_)`` finds them from its
    /// ``ComponentMasses``, streamed: one checkpoint's masses read at a time and two held, where the
    /// masses and shares of every checkpoint took 128 MB at 10⁹ values (1.8 GB at the 1.45 × 10¹⁰
    /// layout). Over every component and the whole grid a pair is first answered from the two
    /// checkpoints' ranked masses (``RankedCrossings``), and their sums are read only when those
    /// cannot answer it. The pairs are split over both cores (``ParallelCheckpoints``), the second
    /// half starting from the checkpoint before its first pair; the rows come back in pair order.
    public static func events(_ selection: ResolvedSelection, cutoff: Double) throws -> TurnoverEvents {
        try events(selection, cutoff: cutoff, minimumBytes: ParallelCheckpoints.minimumBytes)
    }

    /// `ATTRDB_RANKED_MASSES=ignore` in the environment reads every pair's sums (the benchmark's
    /// baseline and the tests' second path).
    static let rankedMassesIgnored = ProcessInfo.processInfo.environment["ATTRDB_RANKED_MASSES"] == "ignore"

    /// `minimumBytes` is ``ParallelCheckpoints``' (the tests split a small store with 0); `ranked:
    /// false` reads every pair's sums.
    static func events(_ selection: ResolvedSelection, cutoff: Double, minimumBytes: Int,
                       ranked useRanked: Bool = !rankedMassesIgnored) throws -> TurnoverEvents {
        let checkpoints = selection.checkpoints, steps = selection.steps
        let count = selection.components.count
        let whole = ComponentMasses.fromSummaries(selection)
        // Each pair by the position of its later checkpoint.
        let pairs = Array(checkpoints.indices.dropFirst())
        let bytes = ComponentMasses.bytesPerCheckpoint(selection, fromSummaries: whole)
        let found = try ParallelCheckpoints.map(selection.scan, pairs, bytesPerCheckpoint: bytes, minimumBytes: minimumBytes) { scan, part in
            guard let first = part.first, let last = part.last else { return [Crossing]() }
            let reader = try MassReader(scan, selection: selection, mode: .absolute, fromSummaries: whole)
            let ranking = reader.readsStoredTotals && useRanked ? try RankedMassesReader(connection: scan.store.connection, statistic: .abs) : nil
            var previous = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            var current = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            defer { previous.deallocate(); current.deallocate() }
            // One read transaction a half: the shared lock taken once, not per statement.
            return try scan.store.reading {
                try reader.prefetchTotals(of: checkpoints[(first - 1)...last])
                /// A checkpoint's side of the cut-off: from its ranked masses when they hold it; its
                /// sums, into `masses`, once a pair needs them.
                struct Side {
                    let position: Int
                    let ranked: RankedCrossings.Side?
                    var shares: CutoffShares?
                }
                func side(_ position: Int) throws -> Side {
                    let checkpoint = checkpoints[position]
                    // Ranked masses of another component count (a damaged row: `check` names it) are not read.
                    guard let ranking, let total = reader.storedTotal(of: checkpoint),
                          let ranked = try ranking.read(attributionID: scan.checkpoints[checkpoint].attributionID), ranked.componentCount == count else {
                        return Side(position: position, ranked: nil)
                    }
                    return Side(position: position, ranked: RankedCrossings.Side(ranked, total: total, cutoff: cutoff))
                }
                func shares(_ side: inout Side, in masses: UnsafeMutableBufferPointer<Double>) throws -> CutoffShares {
                    if let shares = side.shares { return shares }
                    let total = try reader.read(checkpoint: checkpoints[side.position], into: masses) ?? CutoffShares.total(UnsafeBufferPointer(masses))
                    let shares = CutoffShares(UnsafeBufferPointer(masses), total: total, cutoff: cutoff)
                    side.shares = shares
                    return shares
                }
                var before = try side(first - 1)
                var found: [Crossing] = []
                for c in part {
                    var after = try side(c)
                    if let b = before.ranked, let a = after.ranked, let ranked = RankedCrossings.between(b, a, at: c) {
                        found += ranked
                    } else {
                        let b = try shares(&before, in: previous), a = try shares(&after, in: current)
                        crossings(b, a) { p, event in found.append(Crossing(p, event, b, a, c)) }
                    }
                    swap(&previous, &current)
                    before = after
                }
                return found
            }
        }
        // Only the crossing components' rows are read: at 737 280 components, all of them took 0.30 s.
        let components = try selection.scan.components(at: found.map { selection.components[$0.p] })
        return TurnoverEvents(rows: zip(found, components).map { $0.row(steps: steps, component: $1) })
    }

    /// `turnover --summary` of a selection: the masses of its first and last checkpoints only, the
    /// two the summary compares, so a run of 1 000 checkpoints reads 2 of them.
    public static func summary(_ selection: ResolvedSelection, cutoff: Double) throws -> TurnoverSummary {
        let endpoints = selection.endpoints()
        return try summary(try ComponentMasses.rows(endpoints, mode: .absolute), steps: endpoints.steps, cutoff: cutoff) { kept in
            try selection.scan.components(at: kept.map { selection.components[$0] }).map(\.label)
        }
    }

    /// From the first selected checkpoint to the last: how many components were above the cut-off,
    /// how many of those are below it at the end (priced out), and how many entered. No row when
    /// nothing is selected.
    public static func summary(_ masses: ComponentMasses, cutoff: Double) -> TurnoverSummary {
        summary(masses.masses, steps: masses.steps, cutoff: cutoff) { kept in kept.map { masses.components[$0].label } }
    }

    /// The summary of masses `[checkpoint][kept component]` at `steps`; `labels` names the kept
    /// components at the positions given, the only ones whose rows are read.
    private static func summary(_ masses: [[Double]], steps: [Int], cutoff: Double,
                                labels: ([Int]) throws -> [String]) rethrows -> TurnoverSummary {
        let shares = shares(masses)
        guard let first = shares.first, let last = shares.last, let firstStep = steps.first, let lastStep = steps.last else {
            return TurnoverSummary(rows: [])
        }
        return TurnoverSummary(rows: [TurnoverSummaryRow(
            firstStep: firstStep, lastStep: lastStep, cutoff: cutoff,
            aboveAtFirst: first.filter { $0 >= cutoff }.count, aboveAtLast: last.filter { $0 >= cutoff }.count,
            pricedOut: try labels(first.indices.filter { first[$0] >= cutoff && last[$0] < cutoff }),
            entered: try labels(first.indices.filter { first[$0] < cutoff && last[$0] >= cutoff }))])
    }
}
