/// `profile --summary`: each profile's shape in a few numbers.
///
/// ```swift
/// let summaries = try ProfileSummaries(try Profiles(resolved, components: ["L0H1"]))
/// summaries.rows[0].summary.slopeAtZero
/// ```
public struct ProfileSummaries: TabularResult {
    /// One row per profile, in the profiles' order.
    public var rows: [ProfileSummaryRow]

    public init(rows: [ProfileSummaryRow]) {
        self.rows = rows
    }

    /// Summarises each checkpoint's profile of each component.
    public init(_ profiles: Profiles) throws {
        self.init(rows: try profiles.profiles.map { profile in
            ProfileSummaryRow(step: profile.step, component: profile.component,
                              summary: try ProfileSummary(coefficients: profile.points.map(\.coefficient), values: profile.points.map { Double($0.value) }))
        })
    }
}

/// One profile's ``ProfileSummary``.
public struct ProfileSummaryRow: ResultRow, Equatable {
    public var step: Int
    public var component: String
    public var summary: ProfileSummary

    public init(step: Int, component: String, summary: ProfileSummary) {
        self.step = step
        self.component = component
        self.summary = summary
    }

    public static let documentedColumns: [ResultColumn] = [
        .checkpointStep, .component,
        ResultColumn("slope_at_0", .double, unit: "value per unit coefficient", nullable: true,
                     meaning: "dy/dc at coefficient 0 by linear interpolation between the grid points around 0 (central difference when 0 is on the grid); empty for a one-point grid"),
        ResultColumn("min", .double, unit: "the metric's units", meaning: "the smallest value over the selected coefficients"),
        ResultColumn("max", .double, unit: "the metric's units", meaning: "the largest value over the selected coefficients"),
        ResultColumn("range", .double, unit: "the metric's units", meaning: "max − min: how far the profile moves over the selected coefficients"),
        ResultColumn("saturation_negative", .double, unit: "injection coefficient", nullable: true,
                     meaning: "the largest coefficient, from the grid point nearest 0 downward, below which every value stays within 5% of the range of the value at the smallest coefficient: where the response levels off on the negative side; empty when only the edge qualifies (still moving there) or the profile is flat"),
        ResultColumn("saturation_positive", .double, unit: "injection coefficient", nullable: true,
                     meaning: "the smallest coefficient, from the grid point nearest 0 upward, above which every value stays within 5% of the range of the value at the largest coefficient: where the response levels off on the positive side; empty when only the edge qualifies (still moving there) or the profile is flat"),
        ResultColumn("saturation", .double, unit: "injection coefficient", nullable: true,
                     meaning: "whichever of saturation_negative and saturation_positive is nearer 0, signed (the positive side on a tie): how soon the profile stops responding to the injection; empty when neither side saturates"),
    ]

    public var cells: [Cell] {
        func cell(_ value: Double?) -> Cell { value.map(Cell.double) ?? .null }
        return [.int(step), .text(component), cell(summary.slopeAtZero), .double(summary.minimum), .double(summary.maximum),
                .double(summary.range), cell(summary.saturation.negative), cell(summary.saturation.positive), cell(summary.saturation.earliest)]
    }
}
