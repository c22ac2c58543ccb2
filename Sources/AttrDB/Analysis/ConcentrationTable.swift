import Dispatch
import Foundation

/// Concentration per checkpoint: is attribution held by a few components or spread over many?
///
/// ```swift
/// let concentration = ConcentrationTable(try ComponentMasses(resolved), top: 10)
/// concentration.rows.map(\.effectiveComponents)
/// ```
public struct ConcentrationTable: TabularResult {
    /// The `k` of the `top_k_share` column.
    public var top: Int
    public var rows: [ConcentrationRow]

    public var columns: [ResultColumn] {
        ConcentrationRow.documentedColumns.map { $0.name == "top_k_share" ? $0.named("top_\(top)_share") : $0 }
    }

    public init(top: Int, rows: [ConcentrationRow]) {
        self.top = top
        self.rows = rows
    }

    /// Concentration of a selection: over every component and the whole grid from the figures
    /// ingest kept (``CheckpointTotals``: entropy, Gini and the largest masses, computed as
    /// ``Concentration`` computes them), else from each selected component's masses. The same
    /// Doubles either way.
    public init(_ selection: ResolvedSelection, top k: Int) throws {
        if let totals = try CheckpointTotals(selection, statistic: .abs), let table = ConcentrationTable(totals, top: k) {
            self = table
            return
        }
        self.init(try ComponentMasses(selection), top: k)
    }

    /// From the kept figures; nil when a checkpoint keeps fewer than `k` of its largest masses.
    init?(_ totals: CheckpointTotals, top k: Int) {
        var rows: [ConcentrationRow] = []
        rows.reserveCapacity(totals.steps.count)
        for (c, step) in totals.steps.enumerated() {
            // No figures: the masses cannot be shared out, and ``Concentration`` refuses them too.
            guard let figures = totals.totals[c].concentration else {
                rows.append(ConcentrationRow(step: step, entropy: nil, effectiveComponents: nil, gini: nil, topShare: nil))
                continue
            }
            guard k <= figures.largest.count || figures.largest.count == totals.layers.count else { return nil }
            let top = k > 0 ? ShareMeasures.topShare(largestFirst: figures.largest.prefix(k), total: totals.totals[c].total) : 0
            rows.append(ConcentrationRow(step: step, entropy: figures.entropy, effectiveComponents: exp(figures.entropy),
                                         gini: figures.gini, topShare: top))
        }
        self.init(top: k, rows: rows)
    }

    /// Over the component shares of mass (sum of |value| over the selected coefficients): entropy
    /// in nats, effective components = exp(entropy), Gini, and the share of the `k` largest.
    /// A checkpoint whose masses are all 0 has no shares: its measures are nil.
    /// Large tables are measured on both cores, each half of the checkpoints on one.
    public init(_ masses: ComponentMasses, top k: Int) {
        let measure = { (index: Int) -> ConcentrationRow in
            let step = masses.steps[index]
            guard let measures = try? Concentration(masses: masses.masses[index]) else {
                return ConcentrationRow(step: step, entropy: nil, effectiveComponents: nil, gini: nil, topShare: nil)
            }
            return ConcentrationRow(step: step, entropy: measures.entropy, effectiveComponents: measures.effectiveNumber,
                                    gini: measures.gini, topShare: measures.topShare(k))
        }
        let count = masses.steps.count
        guard count >= 2, count * (masses.components.count + 1) >= 1 << 16 else {
            self.init(top: k, rows: (0..<count).map(measure))
            return
        }
        let halves = Halves(count: count, measure: measure)
        DispatchQueue.concurrentPerform(iterations: 2) { halves.fill($0) }
        self.init(top: k, rows: halves.first + halves.second)
    }

    /// The two halves' rows, each written by one thread (unchecked: each variable has one writer,
    /// read after both are done).
    private final class Halves: @unchecked Sendable {
        let count: Int
        let measure: (Int) -> ConcentrationRow
        var first: [ConcentrationRow] = []
        var second: [ConcentrationRow] = []

        init(count: Int, measure: @escaping (Int) -> ConcentrationRow) {
            self.count = count
            self.measure = measure
        }

        func fill(_ half: Int) {
            if half == 0 { first = (0..<(count / 2)).map(measure) } else { second = ((count / 2)..<count).map(measure) }
        }
    }
}

/// One checkpoint's concentration; the measures are nil when every mass is 0.
public struct ConcentrationRow: ResultRow, Equatable {
    public var step: Int
    public var entropy: Double?
    public var effectiveComponents: Double?
    public var gini: Double?
    public var topShare: Double?

    public init(step: Int, entropy: Double?, effectiveComponents: Double?, gini: Double?, topShare: Double?) {
        self.step = step
        self.entropy = entropy
        self.effectiveComponents = effectiveComponents
        self.gini = gini
        self.topShare = topShare
    }

    static let empty = "; empty when every mass at the checkpoint is 0"

    public static let documentedColumns: [ResultColumn] = [
        .checkpointStep,
        ResultColumn("entropy", .double, unit: "nats", nullable: true,
                     meaning: "−Σ s·ln s over the components' shares s = mass / total mass (mass: sum of |value| over the selected coefficients); 0 when one component holds everything, ln N when N hold equal shares" + empty),
        ResultColumn("effective_components", .double, unit: "components", nullable: true,
                     meaning: "exp(entropy): how many equal components would give the same entropy; between 1 and the number of components" + empty),
        ResultColumn("gini", .double, nullable: true,
                     meaning: "the Gini coefficient of the components' masses: 0 when all are equal, (N − 1)/N when one holds everything" + empty),
        ResultColumn("top_k_share", .double, unit: "fraction of the checkpoint's mass", nullable: true,
                     meaning: "named top_10_share for --top 10: the summed shares of the K components with the largest mass" + empty),
    ]

    public var cells: [Cell] {
        guard let entropy, let effectiveComponents, let gini, let topShare else { return [.int(step), .null, .null, .null, .null] }
        return [.int(step), .double(entropy), .double(effectiveComponents), .double(gini), .double(topShare)]
    }
}
