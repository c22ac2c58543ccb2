/// `profile --summary`: each profile's shape in a few numbers.
public enum ProfileSummaries {
    public static let columns = ["checkpoint_step", "component", "slope_at_0", "min", "max", "range", "saturation_negative", "saturation_positive", "saturation"]

    /// Summarises the `profiles` table of ``Profiles`` (rows checkpoint, component, coefficient, value).
    public static func table(_ profiles: ResultTable) throws -> ResultTable {
        var groups: [(step: Cell, component: Cell, coefficients: [Double], values: [Double])] = []
        for row in profiles.rows {
            if let last = groups.last, last.step == row[0], last.component == row[1] {
                groups[groups.count - 1].coefficients.append(row[2].doubleValue ?? .nan)
                groups[groups.count - 1].values.append(row[3].doubleValue ?? .nan)
            } else {
                groups.append((row[0], row[1], [row[2].doubleValue ?? .nan], [row[3].doubleValue ?? .nan]))
            }
        }
        return ResultTable(columns: columns, rows: try groups.map { group in
            let summary = try ProfileSummary(coefficients: group.coefficients, values: group.values)
            func cell(_ value: Double?) -> Cell { value.map(Cell.double) ?? .null }
            return [group.step, group.component, cell(summary.slopeAtZero), .double(summary.minimum), .double(summary.maximum),
                    .double(summary.range), cell(summary.saturation.negative), cell(summary.saturation.positive), cell(summary.saturation.earliest)]
        })
    }
}
