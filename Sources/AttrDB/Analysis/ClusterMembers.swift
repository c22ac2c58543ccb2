/// The members of ``Clusters``: one row per clustered component, cluster by cluster.
public struct ClusterMembers: TabularResult {
    public var rows: [ClusterMemberRow]

    public init(rows: [ClusterMemberRow]) {
        self.rows = rows
    }

    /// Each component's cluster; a component clustered at several checkpoints keeps the last.
    public var clusterOf: [String: Int] {
        var clusterOf: [String: Int] = [:]
        for row in rows { clusterOf[row.component.label] = row.cluster }
        return clusterOf
    }
}

/// One clustered component.
public struct ClusterMemberRow: ResultRow, Equatable {
    public var step: Int
    public var cluster: Int
    public var size: Int
    public var component: Component
    public var mass: Double

    public init(step: Int, cluster: Int, size: Int, component: Component, mass: Double) {
        self.step = step
        self.cluster = cluster
        self.size = size
        self.component = component
        self.mass = mass
    }

    static let clusterColumn = ResultColumn("cluster", .integer, meaning: "the cluster's number, 0 … k−1, at this checkpoint (numbers are not matched across checkpoints)")
    static let sizeColumn = ResultColumn("size", .integer, meaning: "how many components the cluster has at this checkpoint")

    public static let documentedColumns: [ResultColumn] = [
        .checkpointStep, clusterColumn, sizeColumn, .component, .layer, .kind,
        ResultColumn("mass", .double, unit: "the metric's units",
                     meaning: "sum of |value| over the selected coefficients: how much the component carries (compared with --min-mass)"),
    ]

    public var cells: [Cell] {
        [.int(step), .int(cluster), .int(size), .text(component.label), .int(component.layer), .text(component.kind.rawValue), .double(mass)]
    }
}
