/// The figures of attrdb's analyses: each builds a plot from what the query commands compute.
public enum Plots {
    public enum Kind: String, CaseIterable, Sendable {
        case capacity, shares, profile, clusters, norms, concentration
        /// Capacity by layer (heatmap and shares) above the losses, accuracies and norm growth on one step axis.
        case training
    }

    /// How many profiles a plot draws one by one unless told otherwise; the rest make a grey band.
    public static let defaultTopProfiles = 12

    /// Layer × checkpoint heatmap of capacity shares, layers named as `capacity --wide` names them.
    public static func capacity(_ masses: ComponentMasses, run: String, metric: String) -> Heatmap {
        let wide = CapacityWide(masses, by: .layer)
        let values = wide.groups.indices.map { g in wide.rows.map { $0.shares[g] } }
        return Heatmap(title: "Capacity by layer — \(run), \(metric), \(stepsText(masses.steps))", rowLabels: wide.groups,
                       steps: masses.steps, values: values, colorbarLabel: "share of mass")
    }

    /// Shares over training as stacked areas, one band per layer.
    public static func shares(_ masses: ComponentMasses, run: String, metric: String) -> StackedAreaPlot {
        let wide = CapacityWide(masses, by: .layer)
        return StackedAreaPlot(title: "Shares of mass by layer — \(run), \(metric), \(stepsText(masses.steps))", steps: masses.steps,
                               bands: wide.groups.enumerated().map { g, name in (name, wide.rows.map { $0.shares[g] }) })
    }

    /// "step 4000", or "steps 0–4000 (33 checkpoints)".
    static func stepsText(_ steps: [Int]) -> String {
        let distinct = Array(Set(steps)).sorted()
        guard let first = distinct.first, let last = distinct.last else { return "no checkpoint" }
        return distinct.count == 1 ? "step \(first)" : "steps \(first)–\(last) (\(distinct.count) checkpoints)"
    }

    /// One profile (a component at a checkpoint) with its mass, Σ|value| over its coefficients.
    typealias RankedProfile = (name: String, points: [(x: Double, y: Double)], mass: Double)

    static func ranked(_ profiles: Profiles) -> [RankedProfile] {
        let multipleSteps = Set(profiles.rows.map(\.step)).count > 1
        return profiles.profiles.map { profile in
            let points = profile.points.map { (x: $0.coefficient, y: Double($0.value)) }
            return (multipleSteps ? "\(profile.component) @ \(profile.step)" : profile.component, points,
                    points.reduce(0) { $0 + ($1.y.isFinite ? abs($1.y) : 0) })
        }
    }

    /// The min–max envelope of `rest` at each coefficient, nil when there is none.
    static func band(_ rest: [RankedProfile], name: String) -> LinePlot.Band? {
        guard !rest.isEmpty else { return nil }
        var range: [Double: (low: Double, high: Double)] = [:]
        for point in rest.flatMap(\.points) where point.y.isFinite {
            let old = range[point.x] ?? (point.y, point.y)
            range[point.x] = (min(old.low, point.y), max(old.high, point.y))
        }
        return LinePlot.Band(name: name, points: range.sorted { $0.key < $1.key }.map { (x: $0.key, low: $0.value.low, high: $0.value.high) })
    }

    /// Profiles against the coefficient: the `top` largest by mass one by one, each its own colour and
    /// dash (at most ``Colormap/distinctStyles``), the others as one grey min–max band.
    public static func profiles(_ profiles: Profiles, run: String, metric: String, top: Int = defaultTopProfiles) -> LinePlot {
        let all = ranked(profiles).sorted { $0.mass > $1.mass }
        let drawn = min(max(top, 0), Colormap.distinctStyles, all.count)
        let series = all.prefix(drawn).enumerated().map { index, profile in
            LinePlot.Series(name: profile.name, points: profile.points, style: Colormap.lineStyle(index) ?? Colormap.overflow)
        }
        let rest = Array(all.dropFirst(drawn))
        let scope = rest.isEmpty ? "all \(all.count)" : "top \(drawn) of \(all.count) by Σ|value|"
        return LinePlot(title: "Profiles — \(run), \(metric), \(stepsText(profiles.rows.map(\.step))): \(scope)",
                        xLabel: "injection coefficient", yLabel: "attribution (\(metric))", series: series,
                        band: band(rest, name: "the other \(rest.count) (min–max)"))
    }

    /// Profiles by cluster: each cluster one colour, its largest members by mass one dash each (as many
    /// as there are dashes); the other members, and clusters past the palette, as one grey band.
    public static func clusterProfiles(_ profiles: Profiles, run: String, metric: String, clusterOf: [String: Int]) -> LinePlot {
        let all = ranked(profiles)
        let clusters = Array(Set(clusterOf.values)).sorted()
        var series: [LinePlot.Series] = []
        var rest: [RankedProfile] = []
        for (index, cluster) in clusters.enumerated() {
            let members = all.filter { clusterOf[$0.name] == cluster }.sorted { $0.mass > $1.mass }
            guard index < Colormap.palette.count else { rest += members; continue }
            let shown = members.prefix(Colormap.dashes.count)
            for (rank, member) in shown.enumerated() {
                series.append(LinePlot.Series(name: "cluster \(cluster): \(member.name)", points: member.points,
                                              style: Colormap.LineStyle(color: Colormap.palette[index], dash: Colormap.dashes[rank])))
            }
            rest += members.dropFirst(shown.count)
        }
        let hidden = max(0, clusters.count - Colormap.palette.count)
        return LinePlot(title: "Profiles by cluster — \(run), \(metric), \(stepsText(profiles.rows.map(\.step))): \(clusters.count) clusters, "
                            + "the \(Colormap.dashes.count) largest members of each by Σ|value|",
                        xLabel: "injection coefficient", yLabel: "attribution (\(metric))", series: series,
                        band: band(rest, name: "the other \(rest.count) members (min–max)"),
                        note: hidden > 0 ? "+\(hidden) more clusters in the band" : nil)
    }

    /// Residual-norm growth per layer over checkpoints.
    public static func norms(_ norms: ResidualNorms, run: String) -> LinePlot {
        let points = norms.rows.map { (x: Double($0.step), y: $0.growthPercentPerLayer ?? .nan) }
        let steps = norms.rows.map(\.step)
        return LinePlot(title: "Residual-norm growth per layer — \(run), \(stepsText(steps))", xLabel: Axis.isLogSpaced(steps) ? "checkpoint step (log scale)" : "checkpoint step",
                        yLabel: "growth per layer (%)", series: [LinePlot.Series(name: "growth % per layer (resid_pre)", points: points, style: Colormap.lineStyle(0) ?? Colormap.overflow)],
                        logX: Axis.isLogSpaced(steps))
    }

    /// Effective number of components over checkpoints.
    public static func concentration(_ concentration: ConcentrationTable, run: String, metric: String) -> LinePlot {
        let steps = concentration.rows.map(\.step)
        return LinePlot(title: "Concentration — \(run), \(metric), \(stepsText(steps))", xLabel: Axis.isLogSpaced(steps) ? "checkpoint step (log scale)" : "checkpoint step",
                        yLabel: "effective components", series: [
                            LinePlot.Series(name: "effective components = exp(entropy)", points: concentration.rows.map { (Double($0.step), $0.effectiveComponents ?? .nan) },
                                            style: Colormap.lineStyle(0) ?? Colormap.overflow),
                        ], logX: Axis.isLogSpaced(steps))
    }

    /// The SVG of one kind of plot for a run, from a resolved selection.
    /// `top`: how many profiles the profile plot draws one by one.
    public static func svg(_ kind: Kind, store: Store, resolved: ResolvedSelection, components: [String], k: Int, seed: UInt64,
                           top: Int = defaultTopProfiles) throws -> String {
        let run = resolved.scan.run, metric = resolved.scan.metric
        switch kind {
        case .capacity: return capacity(try ComponentMasses(resolved), run: run, metric: metric).svg()
        case .shares: return shares(try ComponentMasses(resolved), run: run, metric: metric).svg()
        case .profile:
            let labels = components.isEmpty ? try resolved.scan.components(at: resolved.components).map(\.label) : components
            return profiles(try Profiles(resolved, components: labels), run: run, metric: metric, top: top).svg()
        case .clusters:
            let clusterOf = try Clusters(resolved, k: k, method: .kmeans, distance: .euclidean, seed: seed, minMass: 0).members.clusterOf
            let labels = try resolved.scan.components(at: resolved.components).map(\.label).filter { clusterOf[$0] != nil }
            return clusterProfiles(try Profiles(resolved, components: labels), run: run, metric: metric, clusterOf: clusterOf).svg()
        case .norms: return norms(try NormGrowth.residual(store: store, run: run, checkpoints: resolved.selection.checkpoints, wide: false), run: run).svg()
        case .concentration: return concentration(ConcentrationTable(try ComponentMasses(resolved), top: 10), run: run, metric: metric).svg()
        case .training: return try training(store: store, resolved: resolved).svg()
        }
    }

    /// The report's training figure for the selected checkpoints: statistics and norms outside the
    /// selection's first and last step are left out, so every panel covers the same steps.
    public static func training(store: Store, resolved: ResolvedSelection) throws -> Timeline {
        let run = resolved.scan.run
        let masses = try ComponentMasses(resolved)
        let within = (masses.steps.first ?? 0)...(masses.steps.last ?? 0)
        let statistics = try StoreTables.losses(store: store, run: run)
        let norms = try NormGrowth.residual(store: store, run: run, checkpoints: .all, wide: false)
        return Report.training(masses, statistics: CheckpointStatistics(names: statistics.names, rows: statistics.rows.filter { within.contains($0.step) }),
                               norms: ResidualNorms(hooks: norms.hooks, rows: norms.rows.filter { within.contains($0.step) }), run: run, metric: resolved.scan.metric)
    }

    /// The checkpoints a plot covers when none are given: all for plots over training, the last for profiles.
    public static func defaultCheckpoints(_ kind: Kind) -> CheckpointSelection {
        kind == .profile || kind == .clusters ? .last : .all
    }
}
