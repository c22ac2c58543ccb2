/// The tables `attrdb export` writes, and what each needs to be computed.
public enum ExportTable: String, CaseIterable, Sendable {
    case values, capacity, top, profiles, clusters, concentration, norms, wov, runs, checkpoints, components, losses

    /// Parameters of the analyses behind the tables, with the query commands' defaults.
    public struct Parameters: Sendable {
        public var k = 10
        public var capacityGrouping = Capacity.Grouping.layer
        public var capacityMode = MassMode.absolute
        public var wide = false
        public var concentrationTop = 10
        public var clusterCount = 4
        public var clusterMethod = Clusters.Method.kmeans
        public var clusterDistance = ProfileDistance.euclidean
        public var seed: UInt64 = 0
        public var minMass = 0.0
        /// Components for `profiles`; empty means all.
        public var components: [String] = []

        public init() {}
    }

    /// The checkpoints a table covers when `--checkpoint` is not given.
    public var defaultCheckpoints: CheckpointSelection {
        switch self {
        case .top, .profiles, .clusters: return .last
        default: return .all
        }
    }

    /// Whether the table reads a scan's values (and so takes --scan, --metric, --coef, --layer, --kind).
    public var readsValues: Bool {
        switch self {
        case .values, .capacity, .top, .profiles, .clusters, .concentration: return true
        default: return false
        }
    }

    /// Computes the table for one run. `values` is streamed by ``ValuesTable`` instead.
    public func table(store: Store, resolved: ResolvedSelection?, run: String, checkpoints: CheckpointSelection,
                      parameters p: Parameters) throws -> ResultTable {
        switch self {
        case .capacity:
            let masses = try ComponentMasses(try required(resolved), mode: p.capacityMode)
            return p.wide ? Capacity.wideTable(masses, by: p.capacityGrouping) : Capacity.table(masses, by: p.capacityGrouping)
        case .top: return try TopComponents.table(try required(resolved), k: p.k)
        case .profiles:
            let selection = try required(resolved)
            return try Profiles.table(selection, components: p.components.isEmpty ? selection.components.map { selection.scan.components[$0].label } : p.components)
        case .clusters:
            return try Clusters(try required(resolved), k: p.clusterCount, method: p.clusterMethod, distance: p.clusterDistance, seed: p.seed, minMass: p.minMass).members
        case .concentration: return ConcentrationTable.table(try ComponentMasses(try required(resolved)), top: p.concentrationTop)
        case .norms: return try NormGrowth.residual(store: store, run: run, checkpoints: checkpoints, wide: p.wide)
        case .wov: return try NormGrowth.wov(store: store, run: run, checkpoints: checkpoints)
        case .runs: return RunTables.runs(try store.runs())
        case .checkpoints: return try StoreTables.checkpoints(store: store, run: run)
        case .components: return try StoreTables.components(store: store, run: run)
        case .losses: return try StoreTables.losses(store: store, run: run)
        case .values: throw StoreError.badInput("values are streamed: use ValuesTable")
        }
    }

    private func required(_ resolved: ResolvedSelection?) throws -> ResolvedSelection {
        guard let resolved else { throw StoreError.badInput("export \(rawValue) needs --run") }
        return resolved
    }
}
