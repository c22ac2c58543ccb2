/// The outcome of k-means: which cluster each profile joined, the cluster means, and how well
/// they fit.
public struct KMeansResult: Equatable, Sendable {
    /// The cluster of each profile, in `0..<k`, in the order the profiles were given.
    public var assignments: [Int]
    /// The mean of each cluster's profiles, `k` rows of the profiles' dimension.
    public var centroids: [[Double]]
    /// The sum over profiles of the squared Euclidean distance to their cluster's centroid.
    public var inertia: Double
    /// How many times the centroids were recomputed.
    public var iterations: Int
    /// True when an assignment step changed nothing; false when `maxIterations` ran out first.
    public var converged: Bool
}

/// Clusters `profiles` into `k` groups with Lloyd's k-means, seeded by k-means++ from `seed`.
///
/// The same profiles, `k` and `seed` give the same result on every machine: see
/// ``kMeansPlusPlusSeeds(_:k:using:)`` for the seeding and ``kMeans(_:initialCentroids:maxIterations:)``
/// for the iterations, tie-breaking and empty clusters. One run, no restarts: callers that want
/// the best of several seeds compare ``KMeansResult/inertia``.
///
/// ```swift
/// let profiles = components.map { ZNormalizedProfile($0).values }
/// let result = try kMeans(profiles, k: 4, seed: 1)
/// result.assignments  // [2, 0, 0, 1, …]
/// ```
public func kMeans(_ profiles: [[Double]], k: Int, seed: UInt64, maxIterations: Int = 300) throws -> KMeansResult {
    var generator = SeededGenerator(seed: seed)
    let seeds = try kMeansPlusPlusSeeds(profiles, k: k, using: &generator)
    return try kMeans(profiles, initialCentroids: seeds.map { profiles[$0] }, maxIterations: maxIterations)
}

/// Picks `k` distinct profiles as initial centroids by k-means++ (Arthur and Vassilvitskii, 2007);
/// returns their indices in the order picked.
///
/// The first is uniform over the profiles; each next one is drawn with probability proportional to
/// its squared distance to the nearest centroid picked so far: a uniform u in [0, total) from
/// ``SeededGenerator/nextUnitInterval()`` and the first profile whose running sum of weights
/// exceeds u. One draw per centroid (not the greedy several-candidate variant of scikit-learn).
/// When every remaining weight is 0 (fewer distinct profiles than `k`), the lowest index not yet
/// picked is taken, so the indices stay distinct.
///
/// ```swift
/// var generator = SeededGenerator(seed: 1)
/// let seeds = try kMeansPlusPlusSeeds(profiles, k: 3, using: &generator)  // e.g. [7, 2, 11]
/// ```
public func kMeansPlusPlusSeeds(_ profiles: [[Double]], k: Int, using generator: inout SeededGenerator) throws -> [Int] {
    let kernel = "k-means++"
    let dimension = try checkedDimension(of: profiles, kernel: kernel)
    try checkClusterCount(k, of: profiles.count, kernel: kernel)
    let points = FlatRows(profiles, dimension: dimension)
    let n = profiles.count

    var seeds = [generator.nextIndex(below: n)]
    var picked = Array(repeating: false, count: n)
    picked[seeds[0]] = true
    var weights = (0..<n).map { points.squaredDistance(row: $0, to: points, row: seeds[0]) }
    while seeds.count < k {
        let total = weights.reduce(0, +)
        var next: Int?
        if total > 0 {
            let u = generator.nextUnitInterval() * total
            var running = 0.0
            for i in 0..<n where weights[i] > 0 {
                running += weights[i]
                if running > u { next = i; break }
            }
            // Rounding can leave the running sum a hair short of u: take the last eligible profile.
            if next == nil { next = weights.lastIndex { $0 > 0 } }
        }
        let chosen = next ?? picked.firstIndex(of: false) ?? 0
        seeds.append(chosen)
        picked[chosen] = true
        for i in 0..<n {
            weights[i] = min(weights[i], points.squaredDistance(row: i, to: points, row: chosen))
        }
        weights[chosen] = 0
    }
    return seeds
}

/// Runs Lloyd's k-means from the given centroids.
///
/// Each iteration assigns every profile to the nearest centroid by squared Euclidean distance (on
/// a tie, the lowest centroid index), then moves each centroid to the mean of its profiles. It stops
/// when an assignment step changes nothing (``KMeansResult/converged``) or after `maxIterations`
/// centroid updates; the result's assignments are always the nearest-centroid assignments of its
/// centroids.
///
/// Empty clusters: before the centroids are recomputed, each empty cluster, in index order, takes
/// the profile farthest from its own centroid among clusters with two or more members (on a tie,
/// the lowest profile index), so no centroid is left stranded. With fewer distinct profiles than
/// clusters this cannot settle, and the run stops at `maxIterations` without converging.
///
/// ```swift
/// let result = try kMeans(profiles, initialCentroids: [profiles[0], profiles[5]])
/// ```
public func kMeans(_ profiles: [[Double]], initialCentroids: [[Double]], maxIterations: Int = 300) throws -> KMeansResult {
    let kernel = "k-means"
    let dimension = try checkedDimension(of: profiles, kernel: kernel)
    let k = initialCentroids.count
    try checkClusterCount(k, of: profiles.count, kernel: kernel)
    let centroidDimension = try checkedDimension(of: initialCentroids, kernel: kernel + " (initial centroids)")
    guard centroidDimension == dimension else {
        throw NumericInputError(
            kernel: kernel, message: "initial centroids have \(centroidDimension) values, profiles have \(dimension)")
    }
    guard maxIterations >= 0 else {
        throw NumericInputError(kernel: kernel, message: "maxIterations must not be negative (got \(maxIterations))")
    }

    let points = FlatRows(profiles, dimension: dimension)
    var centroids = FlatRows(initialCentroids, dimension: dimension)
    var (assignments, distances) = nearestCentroids(of: points, among: centroids)
    var iterations = 0
    var converged = false
    while iterations < maxIterations {
        iterations += 1
        fillEmptyClusters(&assignments, distances: &distances, clusterCount: k)
        centroids = means(of: points, assignments: assignments, previous: centroids)
        let (next, nextDistances) = nearestCentroids(of: points, among: centroids)
        distances = nextDistances
        if next == assignments {
            converged = true
            break
        }
        assignments = next
    }
    return KMeansResult(
        assignments: assignments,
        centroids: centroids.rows,
        inertia: distances.reduce(0, +),
        iterations: iterations,
        converged: converged)
}

func checkClusterCount(_ k: Int, of n: Int, kernel: String) throws {
    guard k >= 1, k <= n else {
        throw NumericInputError(
            kernel: kernel, message: "asked for \(k) clusters of \(n) profiles; choose between 1 and \(n)")
    }
}

/// The index and squared distance of each point's nearest centroid, lowest index on ties.
private func nearestCentroids(of points: FlatRows, among centroids: FlatRows) -> ([Int], [Double]) {
    var assignments = Array(repeating: 0, count: points.count)
    var distances = Array(repeating: 0.0, count: points.count)
    for i in 0..<points.count {
        var best = 0
        var bestDistance = points.squaredDistance(row: i, to: centroids, row: 0)
        for j in 1..<max(1, centroids.count) {
            let distance = points.squaredDistance(row: i, to: centroids, row: j)
            if distance < bestDistance {
                best = j
                bestDistance = distance
            }
        }
        assignments[i] = best
        distances[i] = bestDistance
    }
    return (assignments, distances)
}

private func fillEmptyClusters(_ assignments: inout [Int], distances: inout [Double], clusterCount: Int) {
    var sizes = Array(repeating: 0, count: clusterCount)
    for cluster in assignments { sizes[cluster] += 1 }
    for empty in 0..<clusterCount where sizes[empty] == 0 {
        var farthest: Int?
        for i in assignments.indices where sizes[assignments[i]] >= 2 {
            if let current = farthest, distances[i] <= distances[current] { continue }
            farthest = i
        }
        // k ≤ n guarantees a donor: an empty cluster means some other cluster holds two or more.
        guard let moved = farthest else { return }
        sizes[assignments[moved]] -= 1
        assignments[moved] = empty
        sizes[empty] = 1
        distances[moved] = 0
    }
}

/// The mean of each cluster's points; a cluster left empty keeps its previous centroid.
private func means(of points: FlatRows, assignments: [Int], previous: FlatRows) -> FlatRows {
    let dimension = points.dimension
    let clusterCount = previous.count
    var sums = Array(repeating: 0.0, count: clusterCount * dimension)
    var counts = Array(repeating: 0, count: clusterCount)
    points.values.withUnsafeBufferPointer { x in
        sums.withUnsafeMutableBufferPointer { s in
            for (i, cluster) in assignments.enumerated() {
                counts[cluster] += 1
                for c in 0..<dimension { s[cluster * dimension + c] += x[i * dimension + c] }
            }
        }
    }
    for cluster in 0..<clusterCount {
        if counts[cluster] == 0 {
            for c in 0..<dimension { sums[cluster * dimension + c] = previous.values[cluster * dimension + c] }
            continue
        }
        let count = Double(counts[cluster])
        for c in 0..<dimension { sums[cluster * dimension + c] /= count }
    }
    return FlatRows(values: sums, dimension: dimension)
}
