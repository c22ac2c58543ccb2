/// `compare --what top`: two runs' top components rank by rank at paired checkpoints (see ``Comparison``).
public struct TopComparison: TabularResult {
    /// What each run ranked at: its value column is a stored float32 at one coefficient, a double for a mean.
    public var coefficientA: TopComponents.Coefficient
    public var coefficientB: TopComponents.Coefficient
    public var rows: [TopComparisonRow]

    public var columns: [ResultColumn] {
        func typed(_ coefficient: TopComponents.Coefficient) -> ResultColumn.ValueType {
            if case .at = coefficient { return .float32 }
            return .double
        }
        return TopComparisonRow.documentedColumns.map { column in
            switch column.name {
            case "value_a": return column.typed(typed(coefficientA))
            case "value_b": return column.typed(typed(coefficientB))
            default: return column
            }
        }
    }

    public init(coefficientA: TopComponents.Coefficient, coefficientB: TopComponents.Coefficient, rows: [TopComparisonRow]) {
        self.coefficientA = coefficientA
        self.coefficientB = coefficientB
        self.rows = rows
    }
}

/// One rank at one pair of checkpoints; a side is nil where that run ranked fewer components.
public struct TopComparisonRow: ResultRow, Equatable {
    public var stepA: Int
    public var stepB: Int
    public var rank: Int
    public var a: TopComponentRow?
    public var b: TopComponentRow?

    public init(stepA: Int, stepB: Int, rank: Int, a: TopComponentRow?, b: TopComponentRow?) {
        self.stepA = stepA
        self.stepB = stepB
        self.rank = rank
        self.a = a
        self.b = b
    }

    /// Whether both runs have the same component at this rank.
    public var same: Bool { a?.component.label == b?.component.label }

    static let valueMeaning = "'s signed value at the coefficient (as in top: a stored float32, or the mean over --coef A:B)"

    public static let documentedColumns: [ResultColumn] = [
        CapacityComparisonRow.stepA, CapacityComparisonRow.stepB,
        ResultColumn("rank", .integer, meaning: "1 for the largest |value| in each run"),
        ResultColumn("component_a", .text, nullable: true, meaning: "the first run's component at this rank"),
        ResultColumn("value_a", .float32, unit: "the metric's units", nullable: true, meaning: "component_a" + valueMeaning),
        ResultColumn("component_b", .text, nullable: true, meaning: "the second run's component at this rank"),
        ResultColumn("value_b", .float32, unit: "the metric's units", nullable: true, meaning: "component_b" + valueMeaning),
        ResultColumn("same", .integer, meaning: "1 when both runs have the same component at this rank, else 0"),
    ]

    public var cells: [Cell] {
        [.int(stepA), .int(stepB), .int(rank), a.map { .text($0.component.label) } ?? .null, a?.valueCell ?? .null,
         b.map { .text($0.component.label) } ?? .null, b?.valueCell ?? .null, .int(same ? 1 : 0)]
    }
}
