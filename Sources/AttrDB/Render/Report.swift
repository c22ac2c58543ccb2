/// `attrdb report`: one run's page — metadata, capacity heatmap, shares over training, top
/// components, clusters with their profiles, turnover, concentration and norm growth.
public enum Report {
    public static func page(store: Store, run: String, scan: String? = nil, metric: String? = nil, k: Int = 4, cutoff: Double = 0.05) throws -> String {
        let details = try store.details(ofRun: run)
        let selection = try ScanSelection(store: store, run: run, scan: scan, metric: metric)
        let all = try ResolvedSelection(scan: selection, selection: QuerySelection())
        let last = try ResolvedSelection(scan: selection, selection: QuerySelection(checkpoints: .last))
        let masses = try ComponentMasses(all)
        var sections: [ReportPage.Section] = [
            .facts(title: "Run", RunTables.details(details).rows.map { ($0.field, $0.value.exactText) } + [("scan", selection.scan), ("metric", selection.metric)]),
            .figure(title: "Capacity by layer over training", svg: Plots.capacity(masses, run: run).svg()),
            .figure(title: "Shares over training", svg: Plots.shares(masses, run: run).svg()),
            .table(title: "Top components at the last checkpoint (coefficient nearest 0)",
                   try TopComponents(try ResolvedSelection(scan: selection, selection: QuerySelection(checkpoints: .last, coefficients: .nearest(0))), k: 10), note: nil),
        ]
        let clusterCount = min(k, last.components.count)
        if clusterCount >= 1 {
            let clusters = try Clusters(last, k: clusterCount, method: .kmeans, distance: .euclidean, seed: 0, minMass: 0)
            let clusterOf = clusters.members.clusterOf
            let labels = last.components.map { selection.components[$0].label }.filter { clusterOf[$0] != nil }
            sections.append(.figure(title: "Profiles at the last checkpoint, coloured by cluster",
                                    svg: Plots.profiles(try Profiles(last, components: labels), run: run, clusterOf: clusterOf).svg()))
            sections.append(.table(title: "Clusters (k-means on z-normalised profiles, k = \(clusterCount), seed 0)", clusters.members, note: nil))
        }
        sections.append(.table(title: "Turnover (share cut-off \(cutoff))", Turnover.summary(masses, cutoff: cutoff), note: "From the first checkpoint to the last: components above the cut-off that fell below it were priced out."))
        sections.append(.table(title: "Turnover events", Turnover.events(masses, cutoff: cutoff), note: nil))
        let concentration = ConcentrationTable(masses, top: 10)
        sections.append(.figure(title: "Concentration over training", svg: Plots.concentration(concentration, run: run).svg()))
        sections.append(.table(title: "Concentration", concentration, note: nil))
        let norms = try NormGrowth.residual(store: store, run: run, checkpoints: .all, wide: true)
        if !norms.rows.isEmpty {
            sections.append(.figure(title: "Residual-norm growth per layer", svg: Plots.norms(norms, run: run).svg()))
            sections.append(.table(title: "Residual norms", norms, note: nil))
        }
        return ReportPage(title: "attrdb report — \(run)", sections: sections).html()
    }
}
