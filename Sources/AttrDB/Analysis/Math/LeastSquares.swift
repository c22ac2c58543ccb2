import Foundation

/// A straight line y = intercept + slope · x fitted by ordinary least squares.
///
/// ```swift
/// let fit = try LinearFit(x: [0, 1, 2], y: [1, 3, 5])
/// fit.slope      // 2
/// fit.intercept  // 1
/// ```
public struct LinearFit: Equatable, Sendable {
    /// dy/dx of the line.
    public var slope: Double
    /// The line's y at x = 0.
    public var intercept: Double

    /// A line from its coefficients.
    public init(slope: Double, intercept: Double) {
        self.slope = slope
        self.intercept = intercept
    }

    /// Fits y on x: slope = Σ (x − x̄)(y − ȳ) / Σ (x − x̄)², intercept = ȳ − slope · x̄.
    ///
    /// Centring first keeps precision when x sits far from 0 (training steps, say). Throws when the
    /// lengths differ, a value is not finite, or x takes fewer than two distinct values.
    public init(x: [Double], y: [Double]) throws {
        let kernel = "least squares"
        guard x.count == y.count else {
            throw NumericInputError(kernel: kernel, message: "\(x.count) x values but \(y.count) y values")
        }
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else {
            throw NumericInputError(kernel: kernel, message: "the points must be finite numbers")
        }
        let n = Double(x.count)
        let meanX = x.reduce(0, +) / n
        let meanY = y.reduce(0, +) / n
        var sxy = 0.0
        var sxx = 0.0
        for i in x.indices {
            sxy += (x[i] - meanX) * (y[i] - meanY)
            sxx += (x[i] - meanX) * (x[i] - meanX)
        }
        guard let first = x.first, x.contains(where: { $0 != first }), sxx > 0 else {
            throw NumericInputError(kernel: kernel, message: "a line needs at least two distinct x values")
        }
        slope = sxy / sxx
        intercept = meanY - slope * meanX
    }

    /// The fitted y at `x`.
    public func callAsFunction(_ x: Double) -> Double { intercept + slope * x }
}

/// The growth of the residual-stream norm per layer, in percent: fits ln(norm) against layer by
/// least squares and returns 100 · (exp(slope) − 1).
///
/// Residual norms grow roughly exponentially with depth, so the slope of the log is the constant
/// factor per layer; 5 means each layer multiplies the norm by about 1.05.
///
/// ```swift
/// try residualNormGrowthPercentPerLayer(layers: [0, 1, 2], norms: [1, 1.1, 1.21])  // 10
/// ```
public func residualNormGrowthPercentPerLayer(layers: [Double], norms: [Double]) throws -> Double {
    if let bad = norms.first(where: { !($0 > 0) }) {
        throw NumericInputError(kernel: "residual norm growth", message: "norms must be positive, found \(bad)")
    }
    let fit = try LinearFit(x: layers, y: norms.map { log($0) })
    return growthPercent(logSlope: fit.slope)
}

/// 100 · (exp(slope) − 1): the percent change per unit step of a quantity whose logarithm grows by
/// `logSlope` per step.
public func growthPercent(logSlope: Double) -> Double {
    // expm1 keeps the digits of small rates that exp(s) − 1 would cancel away.
    100 * expm1(logSlope)
}
