/// `export checkpoints`: every checkpoint of a run (see ``StoreTables``).
public struct CheckpointList: TabularResult {
    public var rows: [CheckpointListRow]

    public init(rows: [CheckpointListRow]) {
        self.rows = rows
    }
}

/// One stored checkpoint.
public struct CheckpointListRow: ResultRow, Equatable {
    public var step: Int
    public var tokensSeen: Int?
    public var matrices: Int
    public var weightsHash: WeightsHash?

    public init(step: Int, tokensSeen: Int?, matrices: Int, weightsHash: WeightsHash? = nil) {
        self.step = step
        self.tokensSeen = tokensSeen
        self.matrices = matrices
        self.weightsHash = weightsHash
    }

    public static let documentedColumns: [ResultColumn] = [
        .checkpointStep,
        ResultColumn("tokens_seen", .integer, unit: "tokens", nullable: true, meaning: "training tokens seen by this checkpoint, when the dataset recorded it"),
        ResultColumn("matrices", .integer, meaning: "how many packed attribution matrices (one per scan and metric) the checkpoint holds"),
        ResultColumn("weights_sha256", .text, nullable: true, meaning: "SHA-256 of the model's weights at the checkpoint, 64 hex digits, when the writer logged it (a frame stream's K frame); two steps with the same hash have identical weights"),
    ]

    public var cells: [Cell] { [.int(step), tokensSeen.map(Cell.int) ?? .null, .int(matrices), weightsHash.map { .text($0.hex) } ?? .null] }
}

/// `export components`: a run's components in matrix-row order.
public struct ComponentList: TabularResult {
    public var rows: [ComponentListRow]

    public init(rows: [ComponentListRow]) {
        self.rows = rows
    }
}

/// One component as stored, with its row in the run's matrices.
public struct ComponentListRow: ResultRow, Equatable {
    public var position: Int
    public var component: Component

    public init(position: Int, component: Component) {
        self.position = position
        self.component = component
    }

    public static let documentedColumns: [ResultColumn] = [
        ResultColumn("position", .integer, meaning: "the component's row in every attribution matrix of the run, from 0"),
        ResultColumn.component.named("label"), .layer, .kind,
        ResultColumn("index", .integer, nullable: true, meaning: "the head number of an attention head, the neuron number of a neuron; empty for other kinds"),
    ]

    public var cells: [Cell] {
        [.int(position), .text(component.label), .int(component.layer), .text(component.kind.rawValue), component.index.map(Cell.int) ?? .null]
    }
}

/// `export losses`: the statistics recorded per checkpoint (train_loss, test_loss, …), one column each.
public struct CheckpointStatistics: TabularResult {
    /// The statistics' names, sorted, in the order of each row's values.
    public var names: [String]
    public var rows: [CheckpointStatisticsRow]

    public var columns: [ResultColumn] { [.checkpointStep] + names.map { CheckpointStatisticsRow.statistic.named($0) } }

    public init(names: [String], rows: [CheckpointStatisticsRow]) {
        self.names = names
        self.rows = rows
    }
}

/// One checkpoint's statistics; nil where it has no value for one.
public struct CheckpointStatisticsRow: ResultRow, Equatable {
    public var step: Int
    public var values: [Double?]

    public init(step: Int, values: [Double?]) {
        self.step = step
        self.values = values
    }

    static let statistic = ResultColumn("<statistic>", .double, nullable: true,
                                        meaning: "one column per statistic the dataset recorded per checkpoint (train_loss, test_loss, …), sorted by name, as losses.csv had them; empty where a checkpoint has none")

    public static let documentedColumns: [ResultColumn] = [.checkpointStep, statistic]

    public var cells: [Cell] { [.int(step)] + values.map { $0.map(Cell.double) ?? .null } }
}
