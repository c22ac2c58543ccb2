/// One statistic's totals of a matrix's component sums (schema/0006_summary_totals.sql): in all, per
/// layer and per kind, each added in position order from 0 exactly as ``Capacity`` adds a group's
/// masses, so `capacity --by layer|kind` over the whole grid reads a few hundred bytes a checkpoint
/// and answers the very Doubles the values give. The `abs` totals also keep `concentration`'s
/// figures over every component.
struct SummaryTotals: Equatable, Sendable {
    /// How many of the largest component sums are kept for `concentration`'s top-k share.
    static let largestKept = 64

    /// `concentration` over every component, as ``Concentration`` measures it.
    struct ConcentrationFigures: Equatable, Sendable {
        var entropy: Double
        var gini: Double
        /// The largest component sums, descending (at most ``largestKept``).
        var largest: [Double]
    }

    /// The sum of every component's sum.
    var total: Double
    /// Per layer of ``SummaryLayout/layers``.
    var layers: [Double]
    /// Per kind, in `ComponentKind.allCases` order (0 for a kind the run does not have).
    var kinds: [Double]
    /// The `abs` statistic's, when its sums can be shared out (finite, not all 0); nil otherwise.
    var concentration: ConcentrationFigures?
    /// The `abs` statistic's largest sums with their positions, when its concentration is kept:
    /// stored in a table of their own (``RankedMasses``), which only turnover reads.
    var ranked: RankedMasses?

    init(total: Double, layers: [Double], kinds: [Double], concentration: ConcentrationFigures?, ranked: RankedMasses? = nil) {
        self.total = total
        self.layers = layers
        self.kinds = kinds
        self.concentration = concentration
        self.ranked = ranked
    }

    /// The totals of `components` (one statistic's sums, in position order).
    init(_ components: [Double], statistic: SummaryStatistic, layout: SummaryLayout) {
        var layers = [Double](repeating: 0, count: layout.layers.count)
        var kinds = [Double](repeating: 0, count: ComponentKind.allCases.count)
        for (p, sum) in components.enumerated() {
            layers[layout.layerIndex[p]] += sum
            kinds[layout.kindIndex[p]] += sum
        }
        let figures = statistic == .abs ? SummaryTotals.concentration(of: components) : nil
        self.init(total: components.reduce(0, +), layers: layers, kinds: kinds, concentration: figures?.figures,
                  ranked: figures.flatMap { RankedMasses(components, ascending: $0.ascending) })
    }

    /// The figures ``Concentration`` gives for these masses, computed the same way (its shares,
    /// entropy and sort), with the masses sorted ascending; nil where it refuses them.
    private static func concentration(of masses: [Double]) -> (figures: ConcentrationFigures, ascending: [Double])? {
        guard let total = ShareMeasures.shareableTotal(masses) else { return nil }
        let entropy = ShareMeasures.entropy(ofShares: masses.map { $0 / total })
        let ascending = masses.sorted()
        return (ConcentrationFigures(entropy: entropy, gini: ShareMeasures.gini(ascending: ascending, total: total),
                                     largest: Array(ascending.suffix(largestKept).reversed())), ascending)
    }

    /// `sums` as stored: the total, the layers', the kinds'.
    var sums: [Double] { [total] + layers + kinds }

    /// From a stored row; nil when `sums` does not hold 1 + `layerCount` + the kinds' values.
    init?(sums: [Double], layerCount: Int, concentration: ConcentrationFigures?) {
        let kindCount = ComponentKind.allCases.count
        guard layerCount >= 1, sums.count == 1 + layerCount + kindCount else { return nil }
        self.init(total: sums[0], layers: Array(sums[1...layerCount]), kinds: Array(sums[(1 + layerCount)...]),
                  concentration: concentration)
    }

    /// Bitwise equality (a NaN stored with `--allow-nonfinite` equals itself).
    func sameBits(as other: SummaryTotals) -> Bool {
        guard PackedDoubles.sameBits(sums, other.sums) else { return false }
        switch (concentration, other.concentration) {
        case (nil, nil): return true
        case let (a?, b?):
            return a.entropy.bitPattern == b.entropy.bitPattern && a.gini.bitPattern == b.gini.bitPattern
                && PackedDoubles.sameBits(a.largest, b.largest)
        default: return false
        }
    }
}

extension SummaryTotals {
    /// Decodes `n_layers, sums, entropy, gini, largest` from `row`, from column `first` on; nil when
    /// the sums do not fit the layer count, or the figures are half there.
    init?(row: Statement, layerColumn first: Int32) {
        let sums = row.withBytes(at: first + 1) { PackedDoubles.decode($0) }
        var figures: ConcentrationFigures?
        if !row.isNull(at: first + 2) || !row.isNull(at: first + 3) || !row.isNull(at: first + 4) {
            guard !row.isNull(at: first + 2), !row.isNull(at: first + 3), !row.isNull(at: first + 4) else { return nil }
            figures = ConcentrationFigures(entropy: row.double(at: first + 2), gini: row.double(at: first + 3),
                                           largest: row.withBytes(at: first + 4) { PackedDoubles.decode($0) })
        }
        self.init(sums: sums, layerCount: row.int(at: first), concentration: figures)
    }
}
