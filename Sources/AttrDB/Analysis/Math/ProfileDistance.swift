/// How far apart two profiles are, for hierarchical clustering.
public enum ProfileDistance: String, Sendable, CaseIterable, Equatable {
    /// Euclidean distance. Give it z-normalised profiles (``ZNormalizedProfile``) to compare shapes.
    case euclidean
    /// Pearson correlation distance 1 − r, see ``correlationDistance(_:_:)``; invariant to scale and offset.
    case correlation
}

/// The distances between every pair of n profiles, i < j, stored row by row as scipy's `pdist`
/// does: n(n − 1)/2 values, 8 bytes each (a 3,000-profile matrix takes 36 MB).
struct CondensedDistances: Sendable {
    var values: [Double]
    let count: Int

    init(_ profiles: [[Double]], distance: ProfileDistance, dimension: Int) {
        count = profiles.count
        values = Array(repeating: 0, count: count * (count - 1) / 2)
        switch distance {
        case .euclidean:
            let rows = FlatRows(profiles, dimension: dimension)
            for i in 0..<count {
                for j in (i + 1)..<max(i + 1, count) {
                    values[index(i, j)] = rows.squaredDistance(row: i, to: rows, row: j).squareRoot()
                }
            }
        case .correlation:
            let normalized = profiles.map { ZNormalizedProfile($0).values }
            for i in 0..<count {
                for j in (i + 1)..<max(i + 1, count) {
                    values[index(i, j)] = correlationDistance(zNormalized: normalized[i], normalized[j])
                }
            }
        }
    }

    /// The position of the pair (i, j), i ≠ j, in ``values``.
    func index(_ i: Int, _ j: Int) -> Int {
        let (low, high) = i < j ? (i, j) : (j, i)
        return count * low - low * (low + 1) / 2 + (high - low - 1)
    }

    subscript(i: Int, j: Int) -> Double {
        get { values[index(i, j)] }
        set { values[index(i, j)] = newValue }
    }
}
