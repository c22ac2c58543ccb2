import Foundation

/// `attrdb report`: one run's page telling its story — capacity by layer over training aligned above
/// the loss and accuracy curves and the residual-norm growth, the top components, the largest profiles,
/// clusters, turnover as a picture with per-step lists, concentration, and the run's facts and config.
public enum Report {
    public static func page(store: Store, run: String, scan: String? = nil, metric: String? = nil, k: Int = 4, cutoff: Double = 0.05,
                            topProfiles: Int = Plots.defaultTopProfiles) throws -> String {
        let details = try store.details(ofRun: run)
        let selection = try ScanSelection(store: store, run: run, scan: scan, metric: metric)
        let all = try ResolvedSelection(scan: selection, selection: QuerySelection())
        let last = try ResolvedSelection(scan: selection, selection: QuerySelection(checkpoints: .last))
        let nearZero = try ResolvedSelection(scan: selection, selection: QuerySelection(checkpoints: .last, coefficients: .nearest(0)))
        let masses = try ComponentMasses(all)
        let metricName = selection.metric
        let lastStep = last.steps.last.map(String.init) ?? "none"
        let facts = RunTables.details(details).rows
        let config = facts.filter { $0.field.hasPrefix("config.") }.map { RunFact(field: String($0.field.dropFirst("config.".count)), value: $0.value) }
        let grid = selection.coefficients
        let nearestZero = nearZero.coefficients.isEmpty ? "none" : Axis.label(grid[nearZero.coefficients.lowerBound])
        let subtitle = [details.summary.run.model.map { "model \($0)" }, details.summary.run.task.map { "task \($0)" },
                        "scan \(selection.scan) (\(grid.count) coefficient\(grid.count == 1 ? "" : "s") \(Axis.label(grid.first ?? 0))…\(Axis.label(grid.last ?? 0)))",
                        "metric \(metricName)", Plots.stepsText(masses.steps), "\(selection.layers.count) components"].compactMap { $0 }
        let norms = try NormGrowth.residual(store: store, run: run, checkpoints: .all, wide: true)
        let statistics = try StoreTables.losses(store: store, run: run)

        let training = Report.training(masses, statistics: statistics, norms: norms, run: run, metric: metricName)
        var sections: [ReportPage.Section] = [
            .figure(title: statistics.rows.isEmpty ? "Training: capacity by layer" : "Training: capacity by layer over the loss and accuracy curves",
                    svg: training.svg()),
            .table(title: "Top components at step \(lastStep), coefficient \(nearestZero) (nearest 0)",
                   try TopComponents(nearZero, k: 10), note: nil),
            .figure(title: "Profiles at step \(lastStep)",
                    svg: Plots.profiles(try Profiles(last, components: try selection.components(at: last.components).map(\.label)), run: run, metric: metricName, top: topProfiles).svg()),
        ]
        let clusterCount = min(k, last.components.count)
        if clusterCount >= 1 {
            let clusters = try Clusters(last, k: clusterCount, method: .kmeans, distance: .euclidean, seed: 0, minMass: 0)
            let clusterOf = clusters.members.clusterOf
            let labels = try selection.components(at: last.components).map(\.label).filter { clusterOf[$0] != nil }
            sections.append(.figure(title: "Profiles at step \(lastStep) by cluster",
                                    svg: Plots.clusterProfiles(try Profiles(last, components: labels), run: run, metric: metricName, clusterOf: clusterOf).svg()))
            sections.append(.table(title: "Clusters (k-means on z-normalised profiles, k = \(clusterCount), seed 0)", clusters.members, note: nil))
        }
        let events = Turnover.events(masses, cutoff: cutoff)
        sections.append(.table(title: "Turnover (share cut-off \(Axis.label(cutoff)))", Turnover.summary(masses, cutoff: cutoff),
                               note: "From the first checkpoint to the last: components above the cut-off that fell below it were priced out."))
        if masses.steps.count >= 2 {
            if let strip = TurnoverStrip.timeline(masses, cutoff: cutoff, run: run, metric: metricName, marker: training.marker) {
                sections.append(.figure(title: "Who holds capacity over training", svg: strip.svg()))
            }
            if !events.rows.isEmpty { sections.append(TurnoverStrip.lists(events, cutoff: cutoff)) }
        }
        let concentration = ConcentrationTable(masses, top: 10)
        sections.append(.figure(title: "Concentration over training", svg: Plots.concentration(concentration, run: run, metric: metricName).svg()))
        sections.append(.table(title: "Concentration", concentration, note: nil))
        if !norms.rows.isEmpty { sections.append(.table(title: "Residual norms", norms, note: nil)) }
        if !statistics.rows.isEmpty { sections.append(.table(title: "Losses and accuracies", statistics, note: nil)) }
        sections.append(.table(title: "Run", RunFacts(rows: facts.filter { !$0.field.hasPrefix("config.") }), note: nil, foldable: false))
        if !config.isEmpty { sections.append(.table(title: "Config", RunFacts(rows: config), note: "The run's config, one setting a row (nested keys joined with dots), as attrdb show prints it.", foldable: false)) }
        return ReportPage(title: "attrdb report — \(run)", subtitle: subtitle.joined(separator: " · "), sections: sections).html()
    }

    /// Capacity by layer (heatmap and stacked shares) above the losses, accuracies and residual-norm
    /// growth, all on one step axis, with the largest jump in accuracy marked across them.
    static func training(_ masses: ComponentMasses, statistics: CheckpointStatistics, norms: ResidualNorms, run: String, metric: String) -> Timeline {
        let wide = CapacityWide(masses, by: .layer)
        var panels: [Timeline.Panel] = [
            .heatmap(title: "Capacity by layer (share of Σ|\(metric)|)", rows: wide.groups,
                     values: wide.groups.indices.map { g in wide.rows.map { $0.shares[g] } }, colorbar: "share of mass", floor: nil),
            .stacked(title: "Shares of mass by layer", bands: wide.groups.enumerated().map { g, name in (name, wide.rows.map { $0.shares[g] }) }),
        ]
        func series(_ index: Int) -> (name: String, points: [(step: Int, value: Double)]) {
            (statistics.names[index], statistics.rows.compactMap { row in row.values[index].map { (row.step, $0) } })
        }
        let losses = statistics.names.indices.filter { statistics.names[$0].lowercased().contains("loss") }
        let accuracies = statistics.names.indices.filter { statistics.names[$0].lowercased().contains("acc") && !losses.contains($0) }
        let others = statistics.names.indices.filter { !losses.contains($0) && !accuracies.contains($0) }
        if !losses.isEmpty { panels.append(.lines(title: "Loss (log scale)", yLabel: "loss", series: losses.map(series), y: .log)) }
        if !accuracies.isEmpty { panels.append(.lines(title: "Accuracy", yLabel: "accuracy", series: accuracies.map(series), y: .unit)) }
        if !others.isEmpty { panels.append(.lines(title: "Other statistics", yLabel: "value", series: others.map(series), y: .linear)) }
        let growth = norms.rows.compactMap { row in row.growthPercentPerLayer.map { (step: row.step, value: $0) } }
        if !growth.isEmpty { panels.append(.lines(title: "Residual-norm growth per layer", yLabel: "% per layer", series: [("growth % per layer (resid_pre)", growth)], y: .linear)) }
        return Timeline(title: "\(run), \(metric), \(Plots.stepsText(masses.steps))", steps: masses.steps, panels: panels,
                        marker: accuracyJump(statistics, among: accuracies))
    }

    /// The largest rise of an accuracy between consecutive checkpoints (test or validation accuracy
    /// first), when it rises by a quarter or more: where the model generalised (grokking).
    static func accuracyJump(_ statistics: CheckpointStatistics, among accuracies: [Int]) -> Timeline.Marker? {
        let held = accuracies.filter { ["test", "val"].contains(where: statistics.names[$0].lowercased().contains) }
        var best: (rise: Double, marker: Timeline.Marker)?
        for index in held.isEmpty ? accuracies : held {
            let points = statistics.rows.compactMap { row in row.values[index].map { (step: row.step, value: $0) } }
            for (before, after) in zip(points, points.dropFirst()) where after.value - before.value > (best?.rise ?? 0.25) {
                best = (after.value - before.value, Timeline.Marker(step: after.step, label: "\(statistics.names[index]) \(String(format: "%.2f", before.value)) → "
                    + "\(String(format: "%.2f", after.value)) between steps \(before.step) and \(after.step) (dashed line)"))
            }
        }
        return best?.marker
    }
}
