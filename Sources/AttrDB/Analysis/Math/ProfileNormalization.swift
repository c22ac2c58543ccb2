/// A profile scaled to mean 0 and population standard deviation 1, so that clustering compares
/// shapes rather than sizes.
///
/// A constant profile (every value equal, including an all-zero one) has no shape: it becomes all
/// zeros and is flagged, so a caller can report it apart instead of letting it join whichever
/// cluster sits nearest the origin.
///
/// ```swift
/// let z = ZNormalizedProfile([1, 2, 3])
/// // z.values ≈ [-1.2247, 0, 1.2247], z.isConstant == false
/// ```
public struct ZNormalizedProfile: Equatable, Sendable {
    /// (x − mean) / std, or all zeros for a constant profile.
    public var values: [Double]
    /// The mean of the original profile.
    public var mean: Double
    /// The population standard deviation (divisor n) of the original profile; 0 when constant.
    public var standardDeviation: Double
    /// True when every value of the original profile is the same.
    public var isConstant: Bool

    /// Z-normalises `profile`: subtracts its mean and divides by its population standard deviation.
    public init(_ profile: [Double]) {
        let count = Double(profile.count)
        let mean = profile.isEmpty ? 0 : profile.reduce(0, +) / count
        self.mean = mean
        // Exact equality, not a small standard deviation: the mean of equal values need not equal
        // them in floating point, and dividing that rounding error by itself would invent a shape.
        guard let first = profile.first, profile.contains(where: { $0 != first }) else {
            values = Array(repeating: 0, count: profile.count)
            standardDeviation = 0
            isConstant = true
            return
        }
        // Two passes (mean, then squared deviations) keep precision when |mean| ≫ spread.
        let variance = profile.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
        let deviation = variance.squareRoot()
        standardDeviation = deviation
        values = profile.map { ($0 - mean) / deviation }
        isConstant = false
    }
}

/// Pearson correlation distance 1 − r between two profiles of equal length, in [0, 2].
///
/// 0 means the same shape up to scale and offset, 1 no linear relation, 2 mirror images. When either
/// profile is constant, r is undefined; it is taken as 0 (distance 1), since a flat profile says
/// nothing about the shape of the other.
///
/// ```swift
/// correlationDistance([1, 2, 3], [10, 20, 30])  // 0
/// correlationDistance([1, 2, 3], [3, 2, 1])     // 2
/// ```
public func correlationDistance(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "correlationDistance needs profiles of equal length")
    return correlationDistance(zNormalized: ZNormalizedProfile(a).values, ZNormalizedProfile(b).values)
}

/// 1 − r from two z-normalised profiles: r is then the mean of their products.
///
/// The all-zero profiles of constants give r = 0, matching ``correlationDistance(_:_:)``.
func correlationDistance(zNormalized za: [Double], _ zb: [Double]) -> Double {
    var sum = 0.0
    for i in za.indices { sum += za[i] * zb[i] }
    let r = za.isEmpty ? 0 : sum / Double(za.count)
    // Rounding can push |r| a hair past 1; a distance must stay in [0, 2].
    return 1 - min(1, max(-1, r))
}
