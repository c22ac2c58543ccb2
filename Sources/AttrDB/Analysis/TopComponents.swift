/// The components with the largest |value| at a checkpoint and coefficient (or the mean over a
/// coefficient range), with their share and how their rank moved since the previous stored checkpoint.
///
/// ```swift
/// let top = try TopComponents(resolved, k: 10)
/// top.rows.first?.component   // "L1H2"
/// ```
public struct TopComponents: TabularResult {
    /// The coefficient ranked at: one of the grid, or the mean over a range of it.
    public enum Coefficient: Equatable, Sendable {
        case at(Double)
        case mean(from: Double, to: Double)
    }

    public var coefficient: Coefficient
    public var rows: [TopComponentRow]

    /// At one coefficient `value` is a stored float32 and `coefficient` a number; over a range,
    /// `value` is a mean (double) and `coefficient` reads `mean A:B`.
    public var columns: [ResultColumn] {
        guard case .mean = coefficient else { return TopComponentRow.documentedColumns }
        return TopComponentRow.documentedColumns.map { column in
            switch column.name {
            case "coefficient": return column.typed(.text)
            case "value": return column.typed(.double)
            default: return column
            }
        }
    }

    public init(coefficient: Coefficient, rows: [TopComponentRow]) {
        self.coefficient = coefficient
        self.rows = rows
    }

    /// `rank_change` is the rank at the previous stored checkpoint minus the rank now (positive: rose);
    /// nil at the first stored checkpoint. Ties in |value| go to the component earlier in the run.
    public init(_ selection: ResolvedSelection, k: Int) throws {
        let scan = selection.scan
        let reader = try scan.matrixReader()
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: scan.valuesPerCheckpoint)
        defer { buffer.deallocate() }
        let range = selection.coefficients
        let coefficient: Coefficient = range.count == 1 ? .at(scan.coefficients[range.lowerBound])
            : .mean(from: scan.coefficients[range.lowerBound], to: scan.coefficients[range.upperBound - 1])

        func values(at checkpoint: Int) throws -> [Double] {
            try reader.read(checkpoint: checkpoint, into: buffer)
            let n = scan.coefficients.count
            return selection.components.map { p in
                guard !range.isEmpty else { return 0 }
                let slice = UnsafeBufferPointer(rebasing: buffer[(p * n + range.lowerBound)..<(p * n + range.upperBound)])
                return ComponentMasses.reduce(slice, .signed) / Double(range.count)
            }
        }
        func ranking(_ values: [Double]) -> [Int] {
            values.indices.sorted { abs(values[$0]) != abs(values[$1]) ? abs(values[$0]) > abs(values[$1]) : $0 < $1 }
        }

        var rows: [TopComponentRow] = []
        let components = try scan.components
        for checkpoint in selection.checkpoints where !range.isEmpty {
            let now = try values(at: checkpoint)
            let order = ranking(now)
            var previousRank: [Int: Int] = [:]
            if checkpoint > 0 {
                for (rank, index) in ranking(try values(at: checkpoint - 1)).enumerated() { previousRank[index] = rank + 1 }
            }
            let total = now.reduce(0) { $0 + abs($1) }
            for (rank, index) in order.prefix(k).enumerated() {
                let component = components[selection.components[index]]
                rows.append(TopComponentRow(step: scan.checkpoints[checkpoint].step, coefficient: coefficient, rank: rank + 1,
                                            component: component, value: now[index],
                                            share: total > 0 ? abs(now[index]) / total : .nan,
                                            rankChange: previousRank[index].map { $0 - (rank + 1) }))
            }
        }
        self.init(coefficient: coefficient, rows: rows)
    }
}

/// One ranked component of ``TopComponents``.
public struct TopComponentRow: ResultRow, Equatable {
    public var step: Int
    public var coefficient: TopComponents.Coefficient
    public var rank: Int
    public var component: Component
    public var value: Double
    public var share: Double
    public var rankChange: Int?

    public init(step: Int, coefficient: TopComponents.Coefficient, rank: Int, component: Component, value: Double, share: Double, rankChange: Int?) {
        self.step = step
        self.coefficient = coefficient
        self.rank = rank
        self.component = component
        self.value = value
        self.share = share
        self.rankChange = rankChange
    }

    public static let documentedColumns: [ResultColumn] = [
        .checkpointStep,
        ResultColumn("coefficient", .double, unit: "injection coefficient",
                     meaning: "the coefficient ranked at (default: the one nearest 0); with --coef A:B the text `mean A:B`"),
        ResultColumn("rank", .integer, meaning: "1 for the largest |value|; ties go to the component earlier in the run"),
        .component, .layer, .kind,
        ResultColumn("value", .float32, unit: "the metric's units",
                     meaning: "the component's signed attribution at the coefficient (a stored float32); with --coef A:B its mean over the range (a double)"),
        ResultColumn("share", .double, unit: "fraction of the checkpoint's total |value|",
                     meaning: "|value| / the sum of |value| over every selected component at this checkpoint and coefficient (not only the top K); nan when that sum is 0"),
        ResultColumn("rank_change", .integer, unit: "ranks", nullable: true,
                     meaning: "rank at the previous stored checkpoint − rank now: positive means the component rose; empty at the first stored checkpoint"),
    ]

    public var cells: [Cell] {
        let coefficientCell: Cell
        switch coefficient {
        case .at(let c): coefficientCell = .double(c)
        case .mean(let from, let to): coefficientCell = .text("mean \(from):\(to)")
        }
        return [.int(step), coefficientCell, .int(rank), .text(component.label), .int(component.layer), .text(component.kind.rawValue),
                valueCell, .double(share), rankChange.map(Cell.int) ?? .null]
    }

    /// The value as written: the stored float32 at one coefficient, the mean as a double.
    var valueCell: Cell {
        if case .at = coefficient { return .float(Float(value)) }
        return .double(value)
    }
}
