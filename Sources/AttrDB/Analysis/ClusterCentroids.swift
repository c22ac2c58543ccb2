/// The centroids of ``Clusters``: each cluster's mean z-normalised profile, one row per coefficient.
public struct ClusterCentroids: TabularResult {
    public var rows: [ClusterCentroidRow]

    public init(rows: [ClusterCentroidRow]) {
        self.rows = rows
    }
}

/// One point of a cluster's centroid profile.
public struct ClusterCentroidRow: ResultRow, Equatable {
    public var step: Int
    public var cluster: Int
    public var size: Int
    public var coefficient: Double
    public var centroid: Double

    public init(step: Int, cluster: Int, size: Int, coefficient: Double, centroid: Double) {
        self.step = step
        self.cluster = cluster
        self.size = size
        self.coefficient = coefficient
        self.centroid = centroid
    }

    public static let documentedColumns: [ResultColumn] = [
        .checkpointStep, ClusterMemberRow.clusterColumn, ClusterMemberRow.sizeColumn,
        ResultColumn("coefficient", .double, unit: "injection coefficient", meaning: "a selected coefficient of the scan's grid"),
        ResultColumn("centroid", .double, unit: "standard deviations",
                     meaning: "the mean over the cluster's members of their z-normalised profiles ((value − profile mean) / profile standard deviation; a flat profile is all 0) at this coefficient"),
    ]

    public var cells: [Cell] { [.int(step), .int(cluster), .int(size), .double(coefficient), .double(centroid)] }
}
