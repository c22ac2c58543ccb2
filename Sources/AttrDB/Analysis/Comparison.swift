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

    /// Layer shares of run A and run B and their difference (B − A), layers of either run.
    public static func capacity(_ a: ComponentMasses, _ b: ComponentMasses, alignment: Alignment) -> CapacityComparison {
        let sharesA = layerShares(a), sharesB = layerShares(b)
        let layers = Set(a.components.map(\.layer)).union(b.components.map(\.layer)).sorted()
        var rows: [CapacityComparisonRow] = []
        for (i, j) in pairs(a.steps, b.steps, alignment: alignment) {
            for layer in layers {
                rows.append(CapacityComparisonRow(stepA: a.steps[i], stepB: b.steps[j], layer: layer, shareA: sharesA[i][layer] ?? 0, shareB: sharesB[j][layer] ?? 0))
            }
        }
        return CapacityComparison(rows: rows)
    }

    static func layerShares(_ masses: ComponentMasses) -> [[Int: Double]] {
        masses.masses.map { row in
            let total = row.reduce(0, +)
            var shares: [Int: Double] = [:]
            for (p, component) in masses.components.enumerated() { shares[component.layer, default: 0] += total != 0 ? row[p] / total : 0 }
            return shares
        }
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
