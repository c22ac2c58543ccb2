/// Two runs side by side: capacity shares per layer, or top components, at the checkpoints both
/// have (or, aligned to the nearest, at each of the first run's checkpoints).
public enum Comparison {
    public enum Alignment: String, Sendable, CaseIterable {
        /// Only steps both runs stored.
        case exact
        /// Each of the first run's steps with the second run's nearest step.
        case nearest
    }

    /// Pairs of checkpoint indices (into each selection's checkpoint list) to compare.
    public static func pairs(_ a: [Int], _ b: [Int], alignment: Alignment) -> [(Int, Int)] {
        switch alignment {
        case .exact:
            let positions = Dictionary(b.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            return a.enumerated().compactMap { i, step in positions[step].map { (i, $0) } }
        case .nearest:
            guard !b.isEmpty else { return [] }
            return a.enumerated().map { i, step in (i, b.indices.min { abs(b[$0] - step) < abs(b[$1] - step) } ?? 0) }
        }
    }

    /// Layer shares of run A and run B and their difference (B − A), layers of either run: from
    /// each run's stored totals when both keep every component over the whole grid
    /// (``CheckpointTotals``), else from each component's masses: a layer's mass / the total either
    /// way, the very Doubles `capacity --by layer` prints.
    public static func capacity(_ a: ResolvedSelection, _ b: ResolvedSelection, alignment: Alignment) throws -> CapacityComparison {
        if let totalsA = try CheckpointTotals(a, statistic: .abs), let totalsB = try CheckpointTotals(b, statistic: .abs),
           let sharesA = layerShares(totalsA), let sharesB = layerShares(totalsB) {
            return capacity(stepsA: totalsA.steps, sharesA, stepsB: totalsB.steps, sharesB, alignment: alignment)
        }
        return capacity(try ComponentMasses(a), try ComponentMasses(b), alignment: alignment)
    }

    /// Layer shares of run A and run B and their difference (B − A), layers of either run.
    public static func capacity(_ a: ComponentMasses, _ b: ComponentMasses, alignment: Alignment) -> CapacityComparison {
        capacity(stepsA: a.steps, layerShares(a), stepsB: b.steps, layerShares(b), alignment: alignment)
    }

    /// One run's layer shares: `shares[checkpoint][i]` is the share of `layers[i]` (ascending).
    struct LayerShares {
        var layers: [Int]
        var shares: [[Double]]
    }

    private static func capacity(stepsA: [Int], _ sharesA: LayerShares, stepsB: [Int], _ sharesB: LayerShares,
                                 alignment: Alignment) -> CapacityComparison {
        let layers = Set(sharesA.layers).union(sharesB.layers).sorted()
        // Each layer's position in either run's shares, found once instead of per row.
        let inA = layers.map { sharesA.layers.firstIndex(of: $0) }, inB = layers.map { sharesB.layers.firstIndex(of: $0) }
        let pairs = pairs(stepsA, stepsB, alignment: alignment)
        var a: [Double] = [], b: [Double] = []
        a.reserveCapacity(pairs.count * layers.count)
        b.reserveCapacity(pairs.count * layers.count)
        for (i, j) in pairs {
            let rowA = sharesA.shares[i], rowB = sharesB.shares[j]
            for l in layers.indices {
                a.append(inA[l].map { rowA[$0] } ?? 0)
                b.append(inB[l].map { rowB[$0] } ?? 0)
            }
        }
        return CapacityComparison(steps: pairs.map { (stepsA[$0.0], stepsB[$0.1]) }, layers: layers, sharesA: a, sharesB: b)
    }

    /// Each checkpoint's layer shares from its totals; nil when they lack the run's layers.
    static func layerShares(_ totals: CheckpointTotals) -> LayerShares? {
        let layers = totals.layers.layers
        guard totals.totals.allSatisfy({ $0.layers.count == layers.count }) else { return nil }
        return LayerShares(layers: layers, shares: totals.totals.map { checkpoint in
            layers.indices.map { checkpoint.total != 0 ? checkpoint.layers[$0] / checkpoint.total : 0 }
        })
    }

    /// Each checkpoint's layer shares as `capacity` computes them: the layer's mass (its components'
    /// masses added in order) / the total, so both commands, and both paths, print the same Doubles.
    static func layerShares(_ masses: ComponentMasses) -> LayerShares {
        let layers = Array(Set(masses.components.map(\.layer))).sorted()
        let position = Dictionary(uniqueKeysWithValues: layers.enumerated().map { ($1, $0) })
        let slots = masses.components.map { position[$0.layer] ?? 0 }
        return LayerShares(layers: layers, shares: masses.masses.map { row in
            let total = row.reduce(0, +)
            var layerMasses = [Double](repeating: 0, count: layers.count)
            for (p, slot) in slots.enumerated() { layerMasses[slot] += row[p] }
            return layerMasses.map { total != 0 ? $0 / total : 0 }
        })
    }

    /// Two top-K results side by side, rank by rank, read by their rows' properties.
    public static func top(_ a: TopComponents, _ b: TopComponents, alignment: Alignment) -> TopComparison {
        func byStep(_ top: TopComponents) -> [(step: Int, rows: [TopComponentRow])] {
            var groups: [(step: Int, rows: [TopComponentRow])] = []
            for row in top.rows {
                if groups.last?.step == row.step { groups[groups.count - 1].rows.append(row) } else { groups.append((row.step, [row])) }
            }
            return groups
        }
        let ga = byStep(a), gb = byStep(b)
        var rows: [TopComparisonRow] = []
        for (i, j) in pairs(ga.map(\.step), gb.map(\.step), alignment: alignment) {
            for rank in 0..<max(ga[i].rows.count, gb[j].rows.count) {
                rows.append(TopComparisonRow(stepA: ga[i].step, stepB: gb[j].step, rank: rank + 1, a: ga[i].rows[safe: rank], b: gb[j].rows[safe: rank]))
            }
        }
        return TopComparison(coefficientA: a.coefficient, coefficientB: b.coefficient, rows: rows)
    }
}
