/// The merge tree of an agglomerative clustering, in scipy's `linkage` layout: leaves are
/// `0..<leafCount`, and merge `m` creates cluster `leafCount + m`.
public struct Dendrogram: Equatable, Sendable {
    /// One merge: two clusters joined at a height.
    public struct Merge: Equatable, Sendable {
        /// The smaller of the two cluster ids joined.
        public var first: Int
        /// The larger of the two cluster ids joined.
        public var second: Int
        /// The linkage distance at which they were joined.
        public var height: Double
        /// How many profiles the new cluster holds.
        public var size: Int

        /// A merge of clusters `first` < `second` at `height` into a cluster of `size` profiles.
        public init(first: Int, second: Int, height: Double, size: Int) {
            self.first = first
            self.second = second
            self.height = height
            self.size = size
        }
    }

    /// How many profiles were clustered.
    public var leafCount: Int
    /// The `leafCount − 1` merges, by increasing height (ties in the order they were found).
    public var merges: [Merge]

    /// A tree from merges already in scipy's layout (ids, increasing heights).
    public init(leafCount: Int, merges: [Merge]) {
        self.leafCount = leafCount
        self.merges = merges
    }

    /// Cuts the tree into exactly `k` clusters by undoing its `k − 1` highest merges; returns each
    /// profile's cluster, numbered from 0 in order of first appearance (profile 0 is in cluster 0).
    ///
    /// Without ties in height this is scipy's `fcluster(Z, k, 'maxclust')`; where merges tie at the
    /// cut, scipy may return fewer clusters, this always returns `k`.
    public func clusterLabels(count k: Int) throws -> [Int] {
        try checkClusterCount(k, of: leafCount, kernel: "hierarchical clustering")
        var parent = Array(0..<(2 * leafCount - 1))
        func root(_ node: Int) -> Int {
            var node = node
            while parent[node] != node {
                parent[node] = parent[parent[node]]
                node = parent[node]
            }
            return node
        }
        for (m, merge) in merges.prefix(leafCount - k).enumerated() {
            parent[root(merge.first)] = leafCount + m
            parent[root(merge.second)] = leafCount + m
        }
        var labelOfRoot: [Int: Int] = [:]
        return (0..<leafCount).map { leaf in
            let cluster = root(leaf)
            if let label = labelOfRoot[cluster] { return label }
            let label = labelOfRoot.count
            labelOfRoot[cluster] = label
            return label
        }
    }
}

/// Agglomerative clustering with average linkage (UPGMA): the distance between two clusters is the
/// mean distance between their members.
///
/// Uses the nearest-neighbour-chain algorithm (as scipy does for average linkage): O(n²) time and
/// one n(n − 1)/2 matrix of doubles, so a few thousand profiles take seconds and tens of MB.
/// Deterministic: chains start at the lowest live cluster, and a nearest-neighbour tie goes to the
/// previous cluster on the chain, else the lowest index.
///
/// ```swift
/// let profiles = components.map { ZNormalizedProfile($0).values }
/// let tree = try averageLinkage(profiles, distance: .euclidean)
/// let labels = try tree.clusterLabels(count: 4)
/// ```
public func averageLinkage(_ profiles: [[Double]], distance: ProfileDistance) throws -> Dendrogram {
    let dimension = try checkedDimension(of: profiles, kernel: "hierarchical clustering")
    let n = profiles.count
    var distances = CondensedDistances(profiles, distance: distance, dimension: dimension)
    // size 0 marks a cluster merged away; a merged cluster lives on in the slot of its larger member.
    var sizes = Array(repeating: 1, count: n)
    var found: [(first: Int, second: Int, height: Double, size: Int)] = []
    found.reserveCapacity(max(0, n - 1))
    var chain: [Int] = []
    while found.count < n - 1 {
        if chain.isEmpty, let start = sizes.firstIndex(where: { $0 > 0 }) { chain.append(start) }
        var x = 0
        var y = 0
        var nearest = Double.infinity
        while true {
            x = chain[chain.count - 1]
            if chain.count > 1 {
                y = chain[chain.count - 2]
                nearest = distances[x, y]
            } else {
                nearest = .infinity
            }
            for i in 0..<n where sizes[i] > 0 && i != x {
                let d = distances[x, i]
                if d < nearest {
                    nearest = d
                    y = i
                }
            }
            if chain.count > 1 && y == chain[chain.count - 2] { break }
            chain.append(y)
        }
        chain.removeLast(2)
        if x > y { swap(&x, &y) }
        let (sizeX, sizeY) = (sizes[x], sizes[y])
        found.append((x, y, nearest, sizeX + sizeY))
        sizes[x] = 0
        sizes[y] = sizeX + sizeY
        for i in 0..<n where sizes[i] > 0 && i != y {
            distances[i, y] = (Double(sizeX) * distances[i, x] + Double(sizeY) * distances[i, y]) / Double(sizeX + sizeY)
        }
    }
    return Dendrogram(leafCount: n, merges: relabelled(found, leafCount: n))
}

/// Clusters `profiles` by average linkage and cuts the tree into `k` clusters; labels from 0 in
/// order of first appearance. See ``averageLinkage(_:distance:)`` and ``Dendrogram/clusterLabels(count:)``.
///
/// ```swift
/// let labels = try hierarchicalClusters(profiles, k: 3, distance: .correlation)  // [0, 0, 1, 2, 1, …]
/// ```
public func hierarchicalClusters(_ profiles: [[Double]], k: Int, distance: ProfileDistance) throws -> [Int] {
    try checkClusterCount(k, of: profiles.count, kernel: "hierarchical clustering")
    return try averageLinkage(profiles, distance: distance).clusterLabels(count: k)
}

/// Sorts merges by height (stably) and renames the slot indices the chain worked with to the
/// cluster ids of scipy's layout, as scipy's `label` step does.
private func relabelled(
    _ found: [(first: Int, second: Int, height: Double, size: Int)], leafCount n: Int
) -> [Dendrogram.Merge] {
    let ordered = found.enumerated().sorted {
        $0.element.height != $1.element.height ? $0.element.height < $1.element.height : $0.offset < $1.offset
    }.map(\.element)
    var parent = Array(0..<max(1, 2 * n - 1))
    func root(_ node: Int) -> Int {
        var node = node
        while parent[node] != node {
            parent[node] = parent[parent[node]]
            node = parent[node]
        }
        return node
    }
    return ordered.enumerated().map { m, merge in
        let a = root(merge.first)
        let b = root(merge.second)
        parent[a] = n + m
        parent[b] = n + m
        return Dendrogram.Merge(first: min(a, b), second: max(a, b), height: merge.height, size: merge.size)
    }
}
