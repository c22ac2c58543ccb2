/// Components grouped by the shape of their profile against the injection coefficient.
///
/// ```swift
/// let clusters = try Clusters(resolved, k: 4, method: .kmeans, distance: .euclidean, seed: 0, minMass: 0)
/// clusters.members.clusterOf["L0H1"]   // its cluster at the last selected checkpoint
/// ```
public struct Clusters: Sendable {
    public enum Method: String, Sendable, CaseIterable { case kmeans, hierarchical }

    /// One row per clustered component.
    public var members: ClusterMembers
    /// One row per cluster and coefficient: the mean z-normalised profile of its members.
    public var centroids: ClusterCentroids
    /// Components left out because their mass was below the minimum, per checkpoint.
    public var leftOut: Int

    /// Clusters the selected components at each selected checkpoint. Profiles are z-normalised
    /// (a flat profile becomes all zeros); k-means runs on them with k-means++ seeding from `seed`
    /// (Euclidean distance between z-normalised profiles is a monotone function of correlation,
    /// so `distance` matters only for the hierarchical method). Components whose mass (sum of
    /// |value| over the selected coefficients) is below `minMass` are left out and counted.
    public init(_ selection: ResolvedSelection, k: Int, method: Method, distance: ProfileDistance, seed: UInt64, minMass: Double) throws {
        let scan = selection.scan
        let n = scan.coefficients.count
        let range = selection.coefficients
        let reader = try scan.matrixReader()
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: scan.valuesPerCheckpoint)
        defer { buffer.deallocate() }
        var memberRows: [ClusterMemberRow] = [], centroidRows: [ClusterCentroidRow] = []
        var leftOut = 0
        let components = try scan.components
        for checkpoint in selection.checkpoints {
            try reader.read(checkpoint: checkpoint, into: buffer)
            let step = scan.checkpoints[checkpoint].step
            var kept: [(position: Int, mass: Double, profile: [Double])] = []
            for p in selection.components {
                let slice = UnsafeBufferPointer(rebasing: buffer[(p * n + range.lowerBound)..<(p * n + range.upperBound)])
                let mass = ComponentMasses.reduce(slice, .absolute)
                if mass < minMass { leftOut += 1; continue }
                kept.append((p, mass, slice.map(Double.init)))
            }
            guard kept.count >= k else {
                throw SelectionError("checkpoint \(scan.checkpoints[checkpoint].step) has \(kept.count) components to cluster (after --min-mass), fewer than k = \(k)"
                    + (kept.isEmpty ? "; lower --min-mass" : "; choose k ≤ \(kept.count)"))
            }
            let normalized = kept.map { ZNormalizedProfile($0.profile).values }
            let labels: [Int]
            switch method {
            case .kmeans: labels = try kMeans(normalized, k: k, seed: seed).assignments
            case .hierarchical: labels = try hierarchicalClusters(normalized, k: k, distance: distance)
            }
            var sizes = [Int](repeating: 0, count: k)
            for label in labels { sizes[label] += 1 }
            // Members listed cluster by cluster, in run order within each.
            for i in kept.indices.sorted(by: { (labels[$0], $0) < (labels[$1], $1) }) {
                let member = kept[i]
                let component = components[member.position]
                memberRows.append(ClusterMemberRow(step: step, cluster: labels[i], size: sizes[labels[i]], component: component, mass: member.mass))
            }
            for cluster in 0..<k where sizes[cluster] > 0 {
                let members = normalized.indices.filter { labels[$0] == cluster }
                for (offset, j) in range.enumerated() {
                    let mean = members.reduce(0.0) { $0 + normalized[$1][offset] } / Double(members.count)
                    centroidRows.append(ClusterCentroidRow(step: step, cluster: cluster, size: sizes[cluster], coefficient: scan.coefficients[j], centroid: mean))
                }
            }
        }
        members = ClusterMembers(rows: memberRows)
        centroids = ClusterCentroids(rows: centroidRows)
        self.leftOut = leftOut
    }
}
