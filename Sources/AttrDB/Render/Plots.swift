/// The figures of attrdb's analyses: each builds a plot from what the query commands compute.
public enum Plots {
    public enum Kind: String, CaseIterable, Sendable {
        case capacity, shares, profile, clusters, norms, concentration
    }

    static func layerName(_ layer: Int, in components: [Component]) -> String {
        let kinds = Set(components.filter { $0.layer == layer }.map(\.kind))
        if kinds == [.bias] { return "bias" }
        if kinds.isSubset(of: [.embed, .posEmbed]) { return "embed" }
        return "layer \(layer)"
    }

    /// Layer × checkpoint heatmap of capacity shares.
    public static func capacity(_ masses: ComponentMasses, run: String) -> Heatmap {
        let table = Capacity.wideTable(masses, by: .layer)
        let layers = Set(masses.components.map(\.layer)).sorted()
        let values = layers.indices.map { i in table.rows.map { $0[i + 1].doubleValue ?? .nan } }
        return Heatmap(title: "Capacity by layer — \(run)", rowLabels: layers.map { layerName($0, in: masses.components) },
                       steps: masses.steps, values: values, colorbarLabel: "share of mass")
    }

    /// Shares over training as stacked areas, one band per layer.
    public static func shares(_ masses: ComponentMasses, run: String) -> StackedAreaPlot {
        let table = Capacity.wideTable(masses, by: .layer)
        let layers = Set(masses.components.map(\.layer)).sorted()
        return StackedAreaPlot(title: "Shares over training — \(run)", steps: masses.steps,
                               bands: layers.enumerated().map { i, layer in (layerName(layer, in: masses.components), table.rows.map { $0[i + 1].doubleValue ?? 0 }) })
    }

    /// Profiles against the coefficient, one colour per component (or per cluster when given).
    public static func profiles(_ table: ResultTable, run: String, clusterOf: [String: Int]? = nil) -> LinePlot {
        var series: [LinePlot.Series] = []
        var names: [String] = []
        for row in table.rows {
            guard case .text(let label) = row[1] else { continue }
            let key = "\(row[0].exactText) \(label)"
            if names.last != key {
                names.append(key)
                let group = clusterOf?[label] ?? (names.count - 1)
                series.append(LinePlot.Series(name: label, points: [], group: group))
            }
            series[series.count - 1].points.append((row[2].doubleValue ?? .nan, row[3].doubleValue ?? .nan))
        }
        var groups: [Int: String] = [:]
        if let clusterOf {
            for label in series.map(\.name) {
                guard let cluster = clusterOf[label] else { continue }
                groups[cluster] = groups[cluster].map { "\($0), \(label)" } ?? "\(cluster): \(label)"
            }
        }
        return LinePlot(title: (clusterOf == nil ? "Profiles" : "Profiles by cluster") + " — \(run)", xLabel: "injection coefficient",
                        yLabel: "attribution", series: series, groupNames: groups)
    }

    /// Residual-norm growth per layer over checkpoints.
    public static func norms(_ table: ResultTable, run: String) -> LinePlot {
        let points = table.rows.map { (x: $0[0].doubleValue ?? .nan, y: $0[1].doubleValue ?? .nan) }
        let steps = table.rows.map { Int($0[0].doubleValue ?? 0) }
        return LinePlot(title: "Residual-norm growth — \(run)", xLabel: Axis.isLogSpaced(steps) ? "checkpoint step (log scale)" : "checkpoint step",
                        yLabel: "growth per layer (%)", series: [LinePlot.Series(name: "growth % per layer", points: points, group: 0)],
                        logX: Axis.isLogSpaced(steps))
    }

    /// Effective number of components over checkpoints.
    public static func concentration(_ table: ResultTable, run: String) -> LinePlot {
        let steps = table.rows.map { Int($0[0].doubleValue ?? 0) }
        return LinePlot(title: "Concentration — \(run)", xLabel: Axis.isLogSpaced(steps) ? "checkpoint step (log scale)" : "checkpoint step",
                        yLabel: "effective components", series: [
                            LinePlot.Series(name: "effective components = exp(entropy)", points: table.rows.map { ($0[0].doubleValue ?? .nan, $0[2].doubleValue ?? .nan) }, group: 0),
                        ], logX: Axis.isLogSpaced(steps))
    }

    /// The SVG of one kind of plot for a run, from a resolved selection.
    public static func svg(_ kind: Kind, store: Store, resolved: ResolvedSelection, components: [String], k: Int, seed: UInt64) throws -> String {
        let run = resolved.scan.run
        switch kind {
        case .capacity: return capacity(try ComponentMasses(resolved), run: run).svg()
        case .shares: return shares(try ComponentMasses(resolved), run: run).svg()
        case .profile:
            let labels = components.isEmpty ? resolved.components.map { resolved.scan.components[$0].label } : components
            return profiles(try Profiles.table(resolved, components: labels), run: run).svg()
        case .clusters:
            let clusters = try Clusters(resolved, k: k, method: .kmeans, distance: .euclidean, seed: seed, minMass: 0)
            var clusterOf: [String: Int] = [:]
            for row in clusters.members.rows { if case .text(let label) = row[3] { clusterOf[label] = Int(row[1].doubleValue ?? 0) } }
            let labels = resolved.components.map { resolved.scan.components[$0].label }.filter { clusterOf[$0] != nil }
            return profiles(try Profiles.table(resolved, components: labels), run: run, clusterOf: clusterOf).svg()
        case .norms: return norms(try NormGrowth.residual(store: store, run: run, checkpoints: resolved.selection.checkpoints, wide: false), run: run).svg()
        case .concentration: return concentration(ConcentrationTable.table(try ComponentMasses(resolved), top: 10), run: run).svg()
        }
    }

    /// The checkpoints a plot covers when none are given: all for plots over training, the last for profiles.
    public static func defaultCheckpoints(_ kind: Kind) -> CheckpointSelection {
        kind == .profile || kind == .clusters ? .last : .all
    }
}
