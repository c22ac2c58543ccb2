import Foundation

/// How concentrated a distribution of attribution mass over components is: held by a few
/// components, or spread over many.
///
/// ```swift
/// let c = try Concentration(masses: [3, 1, 0, 0])
/// c.shares            // [0.75, 0.25, 0, 0]
/// c.entropy           // 0.5623 nats
/// c.effectiveNumber   // 1.7548
/// c.gini              // 0.625
/// c.topShare(1)       // 0.75
/// ```
public struct Concentration: Equatable, Sendable {
    /// Each component's mass divided by the total, in the order given.
    public var shares: [Double]
    /// Shannon entropy of the shares in nats, −Σ s ln s, with 0 · ln 0 = 0.
    public var entropy: Double
    /// exp(entropy): the number of equal components that would give the same entropy.
    public var effectiveNumber: Double
    /// The Gini coefficient of the masses, see ``gini(of:)``: 0 for equal masses, (n − 1)/n when one
    /// component holds everything.
    public var gini: Double
    /// The masses sorted ascending, sorted once for the Gini coefficient and the top shares: the
    /// sort is most of the work at thousands of components a checkpoint.
    private var ascendingMasses: [Double]
    private var total: Double

    /// Measures the concentration of non-negative `masses` (for instance the sum of |value| over
    /// the coefficients, per component). Throws when a mass is negative or not finite, or all are 0.
    public init(masses: [Double]) throws {
        total = try Concentration.checkedTotal(of: masses, kernel: "shares")
        let total = total
        shares = masses.map { $0 / total }
        entropy = Concentration.entropy(ofShares: shares)
        effectiveNumber = exp(entropy)
        ascendingMasses = masses.sorted()
        gini = Concentration.gini(ascending: ascendingMasses, total: total)
    }

    /// The sum of the `k` largest shares (all of them when `k` ≥ the number of components): the
    /// same sum, in the same order, as ``topShare(_:ofShares:)`` (a share is its mass / total).
    public func topShare(_ k: Int) -> Double {
        guard k > 0 else { return 0 }
        return ShareMeasures.topShare(largestFirst: ascendingMasses.suffix(k).reversed(), total: total)
    }

    /// Each mass divided by the total. Throws when a mass is negative or not finite, or all are 0.
    public static func shares(of masses: [Double]) throws -> [Double] {
        let total = try checkedTotal(of: masses, kernel: "shares")
        return masses.map { $0 / total }
    }

    /// −Σ s ln s in nats over shares that sum to 1; zero shares contribute nothing (0 · ln 0 = 0).
    public static func entropy(ofShares shares: [Double]) -> Double {
        ShareMeasures.entropy(ofShares: shares)
    }

    /// The Gini coefficient G = Σᵢ (2i − n − 1) xᵢ / (n Σ x), the masses sorted ascending, i = 1…n.
    ///
    /// Scale-free: masses and shares give the same value. Throws when a mass is negative or not
    /// finite, or all are 0.
    public static func gini(of masses: [Double]) throws -> Double {
        let total = try checkedTotal(of: masses, kernel: "Gini coefficient")
        return gini(ascending: masses.sorted(), total: total)
    }

    private static func gini(ascending masses: [Double], total: Double) -> Double {
        ShareMeasures.gini(ascending: masses, total: total)
    }

    /// The sum of the `k` largest shares; 0 when `k` ≤ 0.
    public static func topShare(_ k: Int, ofShares shares: [Double]) -> Double {
        guard k > 0 else { return 0 }
        return shares.sorted(by: >).prefix(k).reduce(0, +)
    }

    private static func checkedTotal(of masses: [Double], kernel: String) throws -> Double {
        if let i = masses.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
            throw NumericInputError(
                kernel: kernel, message: "mass \(i) is \(masses[i]); masses must be finite and non-negative")
        }
        let total = masses.reduce(0, +)
        guard total > 0 else {
            throw NumericInputError(kernel: kernel, message: "the masses sum to 0; there is nothing to share")
        }
        return total
    }
}
