/// Two runs side by side: capacity shares per layer, or top components, at the checkpoints both
/// have (or, aligned to the nearest, at each of the first run's checkpoints).
public enum Comparison {
    public enum Alignment: String, Sendable, CaseIterable {
        /// Only steps both runs stored.
        case exact
        /// Each of the first run's steps with the second run's nearest step.
        case nearest
    }

    public static let capacityColumns = ["checkpoint_step_a", "checkpoint_step_b", "layer", "share_a", "share_b", "difference"]
    public static let topColumns = ["checkpoint_step_a", "checkpoint_step_b", "rank", "component_a", "value_a", "component_b", "value_b", "same"]

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
    public static func capacity(_ a: ComponentMasses, _ b: ComponentMasses, alignment: Alignment) -> ResultTable {
        let sharesA = layerShares(a), sharesB = layerShares(b)
        let layers = Set(a.components.map(\.layer)).union(b.components.map(\.layer)).sorted()
        var rows: [[Cell]] = []
        for (i, j) in pairs(a.steps, b.steps, alignment: alignment) {
            for layer in layers {
                let x = sharesA[i][layer] ?? 0, y = sharesB[j][layer] ?? 0
                rows.append([.int(a.steps[i]), .int(b.steps[j]), .int(layer), .double(x), .double(y), .double(y - x)])
            }
        }
        return ResultTable(columns: capacityColumns, rows: rows)
    }

    static func layerShares(_ masses: ComponentMasses) -> [[Int: Double]] {
        masses.masses.map { row in
            let total = row.reduce(0, +)
            var shares: [Int: Double] = [:]
            for (p, component) in masses.components.enumerated() { shares[component.layer, default: 0] += total != 0 ? row[p] / total : 0 }
            return shares
        }
    }

    /// Two top-K tables (from ``TopComponents``) side by side, rank by rank.
    public static func top(_ a: ResultTable, _ b: ResultTable, alignment: Alignment) -> ResultTable {
        func byStep(_ table: ResultTable) -> [(step: Int, rows: [[Cell]])] {
            var groups: [(Int, [[Cell]])] = []
            for row in table.rows {
                let step = Int(row[0].doubleValue ?? 0)
                if groups.last?.0 == step { groups[groups.count - 1].1.append(row) } else { groups.append((step, [row])) }
            }
            return groups
        }
        let ga = byStep(a), gb = byStep(b)
        var rows: [[Cell]] = []
        for (i, j) in pairs(ga.map(\.step), gb.map(\.step), alignment: alignment) {
            for rank in 0..<max(ga[i].rows.count, gb[j].rows.count) {
                let x = ga[i].rows[safe: rank], y = gb[j].rows[safe: rank]
                rows.append([.int(ga[i].step), .int(gb[j].step), .int(rank + 1), x?[3] ?? .null, x?[6] ?? .null, y?[3] ?? .null, y?[6] ?? .null,
                             .int(x?[3] == y?[3] ? 1 : 0)])
            }
        }
        return ResultTable(columns: topColumns, rows: rows)
    }
}
