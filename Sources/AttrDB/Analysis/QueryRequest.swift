/// One query command — `capacity`, `top`, `profile`, `clusters`, `turnover`, `concentration`,
/// `norms`, `compare` — with its own options, as one value: its default checkpoints and
/// coefficients, and the tables it answers for a selection. The command line's commands and
/// `attrdb serve`'s JSON API both call ``tables(_:in:note:)``, so the two cannot answer differently.
public enum QueryRequest: Sendable {
    /// What `compare` puts side by side.
    public enum ComparisonSubject: String, Sendable, CaseIterable { case capacity, top }

    case capacity(mode: MassMode, by: Capacity.Grouping, wide: Bool)
    case top(k: Int)
    case profile(summary: Bool)
    case clusters(k: Int, method: Clusters.Method, distance: ProfileDistance, seed: UInt64, minMass: Double, centroids: Bool)
    case turnover(cutoff: Double, summary: Bool)
    case concentration(top: Int)
    case norms(wide: Bool, wov: Bool)
    case compare(what: ComparisonSubject, alignment: Comparison.Alignment, k: Int)

    /// The checkpoints the command reads when none are given.
    public var defaultCheckpoints: CheckpointSelection {
        switch self {
        case .top, .profile, .clusters, .compare(what: .top, _, _): return .last
        default: return .all
        }
    }

    /// The coefficients the command reads when none are given.
    public var defaultCoefficients: CoefficientSelection {
        switch self {
        case .top, .compare(what: .top, _, _): return .nearest(0)
        default: return .all
        }
    }

    /// Each run's table (`compare`: one table of both, under the first run's name). `note` hears
    /// what a person should know that is not in the table (components left out by `minMass`).
    public func tables(_ selection: QuerySelection, in store: Store, note: (String) -> Void = { _ in }) throws -> [(run: String, table: ResultTable)] {
        switch self {
        case .capacity(let mode, let by, let wide):
            return try selection.resolve(in: store).map { resolved in
                (resolved.scan.run, wide ? ResultTable(try CapacityWide(resolved, mode: mode, by: by))
                                         : ResultTable(try Capacity(resolved, mode: mode, by: by)))
            }
        case .top(let k):
            return try selection.resolve(in: store).map { ($0.scan.run, ResultTable(try TopComponents($0, k: k))) }
        case .profile(let summary):
            return try selection.resolve(in: store).map { resolved in
                let profiles = try Profiles(resolved, components: selection.components.labels)
                return (resolved.scan.run, summary ? ResultTable(try ProfileSummaries(profiles)) : ResultTable(profiles))
            }
        case .clusters(let k, let method, let distance, let seed, let minMass, let centroids):
            return try selection.resolve(in: store).map { resolved in
                let result = try Clusters(resolved, k: k, method: method, distance: distance, seed: seed, minMass: minMass)
                if result.leftOut > 0 { note("\(resolved.scan.run): \(result.leftOut) components below --min-mass \(minMass) left out") }
                return (resolved.scan.run, centroids ? ResultTable(result.centroids) : ResultTable(result.members))
            }
        case .turnover(let cutoff, let summary):
            return try selection.resolve(in: store).map { resolved in
                try Turnover.requireTwoCheckpoints(resolved)
                return (resolved.scan.run, summary ? ResultTable(try Turnover.summary(resolved, cutoff: cutoff))
                                                   : ResultTable(try Turnover.events(resolved, cutoff: cutoff)))
            }
        case .concentration(let top):
            return try selection.resolve(in: store).map { ($0.scan.run, ResultTable(try ConcentrationTable($0, top: top))) }
        case .norms(let wide, let wov):
            return try selection.runs.map { run in
                (run, wov ? ResultTable(try NormGrowth.wov(store: store, run: run, checkpoints: selection.checkpoints))
                          : ResultTable(try NormGrowth.residual(store: store, run: run, checkpoints: selection.checkpoints, wide: wide)))
            }
        case .compare(let what, let alignment, let k):
            let resolved = try QueryRequest.twoRuns(selection, in: store)
            let table = what == .top
                ? ResultTable(Comparison.top(try TopComponents(resolved[0], k: k), try TopComponents(resolved[1], k: k), alignment: alignment))
                : ResultTable(try Comparison.capacity(resolved[0], resolved[1], alignment: alignment))
            return [(resolved[0].scan.run, table)]
        }
    }

    /// Writes what ``tables(_:in:note:)`` answers to `output`, as the command line prints it: each
    /// run's table stacked under a `run` column when there are several (`compare`: its one table as
    /// it is). `capacity`, `compare`'s capacity and turnover's events are written from their typed
    /// rows, one row's cells at a time, not held as a table of cells first (81 000 rows at 10⁹
    /// values); the same bytes either way.
    public func write(_ selection: QuerySelection, in store: Store, to output: TableOutput, note: (String) -> Void = { _ in }) throws {
        switch self {
        case .capacity(let mode, let by, wide: false):
            try output.write(byRun: try selection.resolve(in: store).map { ($0.scan.run, try Capacity($0, mode: mode, by: by)) })
        case .turnover(let cutoff, summary: false):
            try output.write(byRun: try selection.resolve(in: store).map { resolved in
                try Turnover.requireTwoCheckpoints(resolved)
                return (resolved.scan.run, try Turnover.events(resolved, cutoff: cutoff))
            })
        case .compare(what: .capacity, let alignment, _):
            let resolved = try QueryRequest.twoRuns(selection, in: store)
            try output.write(try Comparison.capacity(resolved[0], resolved[1], alignment: alignment))
        case .compare:
            try output.write(try tables(selection, in: store, note: note)[0].table)
        default:
            try output.write(byRun: try tables(selection, in: store, note: note))
        }
    }

    /// The selection resolved for `compare`, which takes exactly two runs.
    private static func twoRuns(_ selection: QuerySelection, in store: Store) throws -> [ResolvedSelection] {
        let resolved = try selection.resolve(in: store)
        guard resolved.count == 2 else { throw SelectionError("compare takes exactly two runs, found \(resolved.count).") }
        return resolved
    }
}
