/// Components' values against the injection coefficient.
///
/// ```swift
/// let profiles = try Profiles(resolved, components: ["L0H1"])
/// profiles.rows.map(\.value)   // one value per selected coefficient
/// ```
public struct Profiles: TabularResult {
    /// One row per selected checkpoint, component and coefficient, in that order.
    public var rows: [ProfileRow]

    public init(rows: [ProfileRow]) {
        self.rows = rows
    }

    /// Reads only the components' own bytes of each matrix.
    public init(_ selection: ResolvedSelection, components labels: [String]) throws {
        let scan = selection.scan
        let positions = try labels.map(scan.componentIndex)
        let reader = try scan.matrixReader()
        let range = selection.coefficients
        var profile = [Float](repeating: 0, count: range.count)
        var rows: [ProfileRow] = []
        for checkpoint in selection.checkpoints {
            for (label, p) in zip(labels, positions) where !range.isEmpty {
                try profile.withUnsafeMutableBufferPointer {
                    try reader.readProfile(checkpoint: checkpoint, component: p, first: range.lowerBound, count: range.count, into: $0)
                }
                for (offset, j) in range.enumerated() {
                    rows.append(ProfileRow(step: scan.checkpoints[checkpoint].step, component: label, coefficient: scan.coefficients[j], value: profile[offset]))
                }
            }
        }
        self.init(rows: rows)
    }

    /// The rows cut into profiles: one per checkpoint and component, in order.
    public var profiles: [(step: Int, component: String, points: ArraySlice<ProfileRow>)] {
        var result: [(step: Int, component: String, points: ArraySlice<ProfileRow>)] = []
        var start = rows.startIndex
        for i in rows.indices where i + 1 == rows.endIndex || rows[i + 1].step != rows[i].step || rows[i + 1].component != rows[i].component {
            result.append((rows[i].step, rows[i].component, rows[start...i]))
            start = i + 1
        }
        return result
    }
}

/// One point of a profile: a component's stored value at one checkpoint and coefficient.
public struct ProfileRow: ResultRow, Equatable {
    public var step: Int
    public var component: String
    public var coefficient: Double
    public var value: Float

    public init(step: Int, component: String, coefficient: Double, value: Float) {
        self.step = step
        self.component = component
        self.coefficient = coefficient
        self.value = value
    }

    public static let documentedColumns: [ResultColumn] = [
        .checkpointStep, .component,
        ResultColumn("coefficient", .double, unit: "injection coefficient", meaning: "a coefficient of the scan's grid"),
        ResultColumn("value", .float32, unit: "the metric's units", meaning: "the stored attribution of the component at this checkpoint and coefficient, signed"),
    ]

    public var cells: [Cell] { [.int(step), .text(component), .double(coefficient), .float(value)] }
}
