import Foundation

/// The arithmetic of concentration's measures, in one place for the two that compute them:
/// ``Concentration`` (a query over any selection) and the totals ingest keeps per matrix
/// (``SummaryTotals``, schema/0006_summary_totals.sql). Sharing it is what makes a figure kept at
/// ingest the very Double the query would compute.
enum ShareMeasures {
    /// −Σ s ln s in nats over shares that sum to 1, in order; zero shares contribute nothing (0 · ln 0 = 0).
    static func entropy(ofShares shares: [Double]) -> Double {
        var sum = 0.0
        for share in shares where share > 0 { sum -= share * log(share) }
        return sum
    }

    /// The Gini coefficient Σᵢ (2i − n − 1) xᵢ / (n · total) of masses sorted ascending, i = 1…n.
    static func gini(ascending masses: [Double], total: Double) -> Double {
        let n = masses.count
        var sum = 0.0
        for (i, mass) in masses.enumerated() {
            sum += Double(2 * (i + 1) - n - 1) * mass
        }
        return sum / (Double(n) * total)
    }

    /// Σ mass / total over `largestFirst`, in that order: the top-k share given the k largest masses.
    static func topShare<Masses: Sequence<Double>>(largestFirst masses: Masses, total: Double) -> Double {
        var sum = 0.0
        for mass in masses { sum += mass / total }
        return sum
    }

    /// The total of masses fit to share (finite, non-negative, not all 0), added in order; nil otherwise.
    static func shareableTotal(_ masses: [Double]) -> Double? {
        guard masses.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        let total = masses.reduce(0, +)
        return total > 0 ? total : nil
    }
}
