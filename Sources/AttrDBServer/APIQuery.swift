import AttrDB

/// The query commands the JSON API answers: `GET /api/NAME?…` answers what `attrdb NAME … --format
/// json` prints. Each case makes its table from the same library calls as its command in
/// `Sources/attrdb/Commands/` (the same selection defaults, the same typed results), and
/// `ServeTests` checks every one against the command line byte for byte.
enum APIQuery: String, CaseIterable, Sendable {
    case capacity, top, profile, clusters, turnover, concentration, norms, compare

    /// The table for `parameters`, read from `store` (inside one snapshot: see ``APIRoutes``).
    func table(_ parameters: inout APIParameters, store: Store) throws -> ResultTable {
        let table: ResultTable
        switch self {
        case .capacity:
            let signed = try parameters.flag("signed"), squared = try parameters.flag("squared")
            if signed && squared { throw APIUsageError("Use signed or squared, not both.") }
            let mode: MassMode = signed ? .signed : squared ? .squared : .absolute
            let by = try parameters.choice("by", default: Capacity.Grouping.layer)
            let wide = try parameters.flag("wide")
            let selection = try parameters.selection(checkpoints: .all)
            try parameters.refuseUnread(command: rawValue)
            table = try stacked(selection.resolve(in: store).map { resolved in
                let masses = try ComponentMasses(resolved, mode: mode)
                return (resolved.scan.run, wide ? ResultTable(CapacityWide(masses, by: by)) : ResultTable(Capacity(masses, by: by)))
            })
        case .top:
            let k = try Self.positive(parameters.int("k", default: 10), "k")
            let selection = try parameters.selection(checkpoints: .last, coefficients: .nearest(0))
            try parameters.refuseUnread(command: rawValue)
            table = try stacked(selection.resolve(in: store).map { ($0.scan.run, ResultTable(try TopComponents($0, k: k))) })
        case .profile:
            let summary = try parameters.flag("summary")
            let selection = try parameters.selection(checkpoints: .last)
            try parameters.refuseUnread(command: rawValue)
            let labels = selection.components.labels
            if labels.isEmpty { throw APIUsageError("Give at least one component=LABEL.") }
            table = try stacked(selection.resolve(in: store).map { resolved in
                let profiles = try Profiles(resolved, components: labels)
                return (resolved.scan.run, summary ? ResultTable(try ProfileSummaries(profiles)) : ResultTable(profiles))
            })
        case .clusters:
            let k = try Self.positive(parameters.int("k", default: 4), "k")
            let method = try parameters.choice("method", default: Clusters.Method.kmeans)
            let distance = try parameters.choice("distance", default: ProfileDistance.euclidean)
            let seedText = try parameters.one("seed") ?? "0"
            guard let seed = UInt64(seedText) else { throw APIUsageError("seed takes a whole number from 0 to \(UInt64.max).") }
            let minMass = try parameters.double("min-mass") ?? 0
            if !(minMass >= 0 && minMass.isFinite) { throw APIUsageError("min-mass takes a mass of 0 or more (a sum of |value|), found \(minMass).") }
            let centroids = try parameters.flag("centroids")
            let selection = try parameters.selection(checkpoints: .last)
            try parameters.refuseUnread(command: rawValue)
            table = try stacked(selection.resolve(in: store).map { resolved in
                let result = try Clusters(resolved, k: k, method: method, distance: distance, seed: seed, minMass: minMass)
                return (resolved.scan.run, centroids ? ResultTable(result.centroids) : ResultTable(result.members))
            })
        case .turnover:
            guard let cutoff = try parameters.double("cutoff") else { throw APIUsageError("Give the share that counts as holding capacity, e.g. cutoff=0.05.") }
            if !(cutoff > 0 && cutoff < 1) { throw APIUsageError("cutoff takes a share between 0 and 1, e.g. 0.05; found \(cutoff).") }
            let summary = try parameters.flag("summary")
            let selection = try parameters.selection(checkpoints: .all)
            try parameters.refuseUnread(command: rawValue)
            table = try stacked(selection.resolve(in: store).map { resolved in
                try Turnover.requireTwoCheckpoints(resolved)
                let masses = try ComponentMasses(resolved)
                return (resolved.scan.run, summary ? ResultTable(Turnover.summary(masses, cutoff: cutoff)) : ResultTable(Turnover.events(masses, cutoff: cutoff)))
            })
        case .concentration:
            let top = try Self.positive(parameters.int("top", default: 10), "top")
            let selection = try parameters.selection(checkpoints: .all)
            try parameters.refuseUnread(command: rawValue)
            table = try stacked(selection.resolve(in: store).map { ($0.scan.run, ResultTable(ConcentrationTable(try ComponentMasses($0), top: top))) })
        case .norms:
            let wide = try parameters.flag("wide"), wov = try parameters.flag("wov")
            let runs = parameters.all("run")
            if runs.isEmpty { throw APIUsageError("Give a run with run=NAME.") }
            let checkpoints = try parameters.one("checkpoint").map(CheckpointSelection.init(parsing:)) ?? .all
            // norms reads no attribution values: scan, coef, layer, … are refused as unknown.
            try parameters.refuseUnread(command: rawValue)
            table = try stacked(runs.map { run in
                (run, wov ? ResultTable(try NormGrowth.wov(store: store, run: run, checkpoints: checkpoints))
                          : ResultTable(try NormGrowth.residual(store: store, run: run, checkpoints: checkpoints, wide: wide)))
            })
        case .compare:
            let what = try parameters.one("what") ?? "capacity"
            guard what == "capacity" || what == "top" else { throw APIUsageError("what takes capacity or top, found '\(what)'.") }
            let align = try parameters.choice("align", default: Comparison.Alignment.exact)
            let k = try Self.positive(parameters.int("k", default: 10), "k")
            let selection = what == "top" ? try parameters.selection(checkpoints: .last, coefficients: .nearest(0))
                                          : try parameters.selection(checkpoints: .all)
            try parameters.refuseUnread(command: rawValue)
            if selection.runs.count != 2 { throw APIUsageError("compare takes exactly two runs: run=A&run=B.") }
            let resolved = try selection.resolve(in: store)
            table = what == "top"
                ? ResultTable(Comparison.top(try TopComponents(resolved[0], k: k), try TopComponents(resolved[1], k: k), alignment: align))
                : ResultTable(Comparison.capacity(try ComponentMasses(resolved[0]), try ComponentMasses(resolved[1]), alignment: align))
        }
        return table
    }

    /// Each run's table under a `run` column when there are several: `TableOutput.write(byRun:)`'s rule.
    private func stacked(_ tables: [(run: String, table: ResultTable)]) -> ResultTable {
        .stacked(byRun: tables, runColumn: tables.count > 1)
    }

    private static func positive(_ value: Int, _ name: String) throws(APIUsageError) -> Int {
        if value < 1 { throw APIUsageError("\(name) takes a positive number, found \(value).") }
        return value
    }
}
