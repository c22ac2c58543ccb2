/// The figures of attrdb's analyses: each builds a plot from what the query commands compute.
public enum Plots {
    public enum Kind: String, CaseIterable, Sendable {
        case capacity, shares, profile, clusters, norms, concentration
    }

    /// Layer × checkpoint heatmap of capacity shares, layers named as `capacity --wide` names them.
    public static func capacity(_ masses: ComponentMasses, run: String) -> Heatmap {
        let wide = CapacityWide(masses, by: .layer)
        let values = wide.groups.indices.map { g in wide.rows.map { $0.shares[g] } }
        return Heatmap(title: "Capacity by layer — \(run)", rowLabels: wide.groups,
                       steps: masses.steps, values: values, colorbarLabel: "share of mass")
    }

    /// Shares over training as stacked areas, one band per layer.
    public static func shares(_ masses: ComponentMasses, run: String) -> StackedAreaPlot {
        let wide = CapacityWide(masses, by: .layer)
        return StackedAreaPlot(title: "Shares over training — \(run)", steps: masses.steps,
                               bands: wide.groups.enumerated().map { g, name in (name, wide.rows.map { $0.shares[g] }) })
    }

    /// Profiles against the coefficient, one colour per component (or per cluster when given).
    public static func profiles(_ profiles: Profiles, run: String, clusterOf: [String: Int]? = nil) -> LinePlot {
        var series: [LinePlot.Series] = []
        for profile in profiles.profiles {
            series.append(LinePlot.Series(name: profile.component, points: profile.points.map { ($0.coefficient, Double($0.value)) },
                                          group: clusterOf?[profile.component] ?? series.count))
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
    public static func norms(_ norms: ResidualNorms, run: String) -> LinePlot {
        let points = norms.rows.map { (x: Double($0.step), y: $0.growthPercentPerLayer ?? .nan) }
        let steps = norms.rows.map(\.step)
        return LinePlot(title: "Residual-norm growth — \(run)", xLabel: Axis.isLogSpaced(steps) ? "checkpoint step (log scale)" : "checkpoint step",
                        yLabel: "growth per layer (%)", series: [LinePlot.Series(name: "growth % per layer", points: points, group: 0)],
                        logX: Axis.isLogSpaced(steps))
    }

    /// Effective number of components over checkpoints.
    public static func concentration(_ concentration: ConcentrationTable, run: String) -> LinePlot {
        let steps = concentration.rows.map(\.step)
        return LinePlot(title: "Concentration — \(run)", xLabel: Axis.isLogSpaced(steps) ? "checkpoint step (log scale)" : "checkpoint step",
                        yLabel: "effective components", series: [
                            LinePlot.Series(name: "effective components = exp(entropy)", points: concentration.rows.map { (Double($0.step), $0.effectiveComponents ?? .nan) }, group: 0),
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
            return profiles(try Profiles(resolved, components: labels), run: run).svg()
        case .clusters:
            let clusterOf = try Clusters(resolved, k: k, method: .kmeans, distance: .euclidean, seed: seed, minMass: 0).members.clusterOf
            let labels = resolved.components.map { resolved.scan.components[$0].label }.filter { clusterOf[$0] != nil }
            return profiles(try Profiles(resolved, components: labels), run: run, clusterOf: clusterOf).svg()
        case .norms: return norms(try NormGrowth.residual(store: store, run: run, checkpoints: resolved.selection.checkpoints, wide: false), run: run).svg()
        case .concentration: return concentration(ConcentrationTable(try ComponentMasses(resolved), top: 10), run: run).svg()
        }
    }

    /// The checkpoints a plot covers when none are given: all for plots over training, the last for profiles.
    public static func defaultCheckpoints(_ kind: Kind) -> CheckpointSelection {
        kind == .profile || kind == .clusters ? .last : .all
    }
}
