/// The shape of one component's profile y(c) over an injection-coefficient grid, in a few numbers:
/// its slope at c = 0, its extremes, and where it saturates.
///
/// ```swift
/// let summary = try ProfileSummary(coefficients: [-2, -1, 0, 1, 2], values: [-1, -1, 0, 1, 1])
/// summary.slopeAtZero          // 1: (y(1) − y(−1)) / 2
/// summary.range                // 2
/// summary.saturation.negative  // −1
/// summary.saturation.positive  // 1
/// ```
public struct ProfileSummary: Equatable, Sendable {
    /// Where a profile stops changing on each side of c = 0.
    ///
    /// On the positive side, with `end` the value at the largest coefficient and tolerance
    /// τ = `tolerance` · range: the saturation coefficient is c[j] for the smallest index j at or
    /// after the centre (the grid point nearest 0, the lower one on a tie) such that every point
    /// from j to the end is within τ of `end`. The negative side mirrors it: the largest j at or
    /// before the centre such that every point from the start to j is within τ of the value at the
    /// smallest coefficient. A side is nil when that settled stretch is a single grid point (the
    /// profile is still moving at the edge of the grid), when the centre is the side's last point,
    /// or when the profile is constant (range 0: nothing to saturate).
    public struct Saturation: Equatable, Sendable {
        /// A coefficient ≤ the centre beyond which (towards −∞) the profile stays near its left end.
        public var negative: Double?
        /// A coefficient ≥ the centre beyond which (towards +∞) the profile stays near its right end.
        public var positive: Double?

        /// A saturation from its two sides.
        public init(negative: Double?, positive: Double?) {
            self.negative = negative
            self.positive = positive
        }

        /// The side that saturates closer to 0, as a signed coefficient; the positive side on a tie
        /// in |c|; nil when neither side saturates.
        public var earliest: Double? {
            switch (negative, positive) {
            case let (n?, p?): return abs(n) < abs(p) ? n : p
            case let (n?, nil): return n
            case let (nil, p?): return p
            case (nil, nil): return nil
            }
        }
    }

    /// dy/dc at c = 0, from linear interpolation: (y[i+1] − y[i]) / (c[i+1] − c[i]) for the two grid
    /// points bracketing 0; when 0 is itself an interior grid point, the central difference over its
    /// two neighbours; when 0 is outside the grid (or at its edge), the slope of the nearest segment.
    /// nil for a one-point grid.
    public var slopeAtZero: Double?
    /// The smallest value over the grid.
    public var minimum: Double
    /// The largest value over the grid.
    public var maximum: Double
    /// maximum − minimum.
    public var range: Double
    /// Where the profile stops changing on each side of 0, with the default or given tolerance.
    public var saturation: Saturation

    /// Summarises `values` over `coefficients`, which must be strictly increasing, finite, and as
    /// many as the values. `tolerance` is the saturation band as a fraction of the range (5% by default).
    public init(coefficients: [Double], values: [Double], tolerance: Double = 0.05) throws {
        let kernel = "profile summary"
        guard !coefficients.isEmpty, coefficients.count == values.count else {
            throw NumericInputError(
                kernel: kernel,
                message: "needs as many values as coefficients, at least one "
                    + "(got \(values.count) values and \(coefficients.count) coefficients)")
        }
        guard coefficients.allSatisfy(\.isFinite), values.allSatisfy(\.isFinite) else {
            throw NumericInputError(kernel: kernel, message: "coefficients and values must be finite")
        }
        guard zip(coefficients, coefficients.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw NumericInputError(kernel: kernel, message: "coefficients must be strictly increasing")
        }
        guard tolerance >= 0, tolerance.isFinite else {
            throw NumericInputError(kernel: kernel, message: "the saturation tolerance must be a non-negative number")
        }
        let minimum = values.min() ?? 0
        let maximum = values.max() ?? 0
        self.minimum = minimum
        self.maximum = maximum
        range = maximum - minimum
        slopeAtZero = ProfileSummary.slope(at: 0, coefficients: coefficients, values: values)
        saturation = ProfileSummary.saturation(coefficients: coefficients, values: values, band: tolerance * range)
    }

    private static func slope(at point: Double, coefficients c: [Double], values y: [Double]) -> Double? {
        let n = c.count
        guard n >= 2 else { return nil }
        func segment(_ i: Int) -> Double { (y[i + 1] - y[i]) / (c[i + 1] - c[i]) }
        if point <= c[0] { return segment(0) }
        if point >= c[n - 1] { return segment(n - 2) }
        // c[0] < point < c[n − 1]: the first grid point at or above it is interior or the last.
        guard let upper = c.firstIndex(where: { $0 >= point }) else { return segment(n - 2) }
        if c[upper] == point { return (y[upper + 1] - y[upper - 1]) / (c[upper + 1] - c[upper - 1]) }
        return segment(upper - 1)
    }

    private static func saturation(coefficients c: [Double], values y: [Double], band: Double) -> Saturation {
        let n = c.count
        guard band > 0 else { return Saturation(negative: nil, positive: nil) }
        var centre = 0
        for i in c.indices where abs(c[i]) < abs(c[centre]) { centre = i }

        var positive: Double?
        if centre < n - 1 {
            var j = n - 1
            while j > centre, abs(y[j - 1] - y[n - 1]) <= band { j -= 1 }
            if j < n - 1 { positive = c[j] }
        }
        var negative: Double?
        if centre > 0 {
            var j = 0
            while j < centre, abs(y[j + 1] - y[0]) <= band { j += 1 }
            if j > 0 { negative = c[j] }
        }
        return Saturation(negative: negative, positive: positive)
    }
}
