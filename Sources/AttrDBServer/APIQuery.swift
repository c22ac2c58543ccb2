import AttrDB

/// The query commands the JSON API answers: `GET /api/NAME?…` answers what `attrdb NAME … --format
/// json` prints. The parameters become the same ``QueryRequest`` and ``QuerySelection`` the command
/// in `Sources/attrdb/Commands/` makes, and `ServeCommandTests` checks every one against the command
/// line byte for byte.
enum APIQuery: String, CaseIterable, Sendable {
    case capacity, top, profile, clusters, turnover, concentration, norms, compare

    /// The table for `parameters`, read from `store` (inside one snapshot: see ``APIRoutes``):
    /// the parameters read into the command's ``QueryRequest`` and selection, then the request's
    /// tables — the same call the command line makes.
    func table(_ parameters: inout APIParameters, store: Store) throws -> ResultTable {
        let request = try self.request(&parameters)
        let selection: QuerySelection
        if case .norms = request {
            // norms reads no attribution values: only run and checkpoint; scan, coef, layer, … are refused as unknown.
            let runs = parameters.all("run")
            if runs.isEmpty { throw APIUsageError("Give a run with run=NAME.") }
            selection = QuerySelection(runs: runs, checkpoints: try parameters.one("checkpoint").map(CheckpointSelection.init(parsing:)) ?? request.defaultCheckpoints)
        } else {
            selection = try parameters.selection(checkpoints: request.defaultCheckpoints, coefficients: request.defaultCoefficients)
        }
        try parameters.refuseUnread(command: rawValue)
        switch request {
        case .profile where selection.components.labels.isEmpty:
            throw APIUsageError("Give at least one component=LABEL.")
        case .compare where selection.runs.count != 2:
            throw APIUsageError("compare takes exactly two runs: run=A&run=B.")
        default: break
        }
        let tables = try request.tables(selection, in: store)
        if case .compare = request { return tables[0].table }
        return stacked(tables)
    }

    /// The command's own options, from the parameters named as its command-line options.
    private func request(_ parameters: inout APIParameters) throws -> QueryRequest {
        switch self {
        case .capacity:
            let signed = try parameters.flag("signed"), squared = try parameters.flag("squared")
            if signed && squared { throw APIUsageError("Use signed or squared, not both.") }
            return .capacity(mode: signed ? .signed : squared ? .squared : .absolute,
                             by: try parameters.choice("by", default: Capacity.Grouping.layer), wide: try parameters.flag("wide"))
        case .top:
            return .top(k: try Self.positive(parameters.int("k", default: 10), "k"))
        case .profile:
            return .profile(summary: try parameters.flag("summary"))
        case .clusters:
            let k = try Self.positive(parameters.int("k", default: 4), "k")
            let method = try parameters.choice("method", default: Clusters.Method.kmeans)
            let distance = try parameters.choice("distance", default: ProfileDistance.euclidean)
            let seedText = try parameters.one("seed") ?? "0", minMassValue = try parameters.double("min-mass") ?? 0
            let seed = try Self.checked { try ParameterCheck.seed(seedText, "seed") }
            let minMass = try Self.checked { try ParameterCheck.mass(minMassValue, "min-mass") }
            return .clusters(k: k, method: method, distance: distance, seed: seed, minMass: minMass, centroids: try parameters.flag("centroids"))
        case .turnover:
            guard let cutoff = try parameters.double("cutoff") else { throw APIUsageError("Give the share that counts as holding capacity, e.g. cutoff=0.05.") }
            return .turnover(cutoff: try Self.checked { try ParameterCheck.share(cutoff, "cutoff") }, summary: try parameters.flag("summary"))
        case .concentration:
            return .concentration(top: try Self.positive(parameters.int("top", default: 10), "top"))
        case .norms:
            return .norms(wide: try parameters.flag("wide"), wov: try parameters.flag("wov"))
        case .compare:
            return .compare(what: try parameters.choice("what", default: QueryRequest.ComparisonSubject.capacity),
                            alignment: try parameters.choice("align", default: Comparison.Alignment.exact),
                            k: try Self.positive(parameters.int("k", default: 10), "k"))
        }
    }

    /// Each run's table under a `run` column when there are several: `TableOutput.write(byRun:)`'s rule.
    private func stacked(_ tables: [(run: String, table: ResultTable)]) -> ResultTable {
        .stacked(byRun: tables, runColumn: tables.count > 1)
    }

    private static func positive(_ value: Int, _ name: String) throws -> Int {
        try checked { try ParameterCheck.positive(value, name) }
    }

    /// The library's bounds (shared with the command line) as a 400.
    private static func checked<T>(_ check: () throws -> T) throws -> T {
        do { return try check() } catch let error as ParameterCheck.OutOfRange { throw APIUsageError(error.description) }
    }
}
