/// Components' values against the injection coefficient.
public enum Profiles {
    public static let columns = ["checkpoint_step", "component", "coefficient", "value"]

    /// One row per selected checkpoint, component and coefficient. Reads only the components'
    /// own bytes of each matrix.
    public static func table(_ selection: ResolvedSelection, components labels: [String]) throws -> ResultTable {
        let scan = selection.scan
        let positions = try labels.map(scan.componentIndex)
        let reader = try scan.matrixReader()
        let range = selection.coefficients
        var profile = [Float](repeating: 0, count: range.count)
        var rows: [[Cell]] = []
        for checkpoint in selection.checkpoints {
            for (label, p) in zip(labels, positions) where !range.isEmpty {
                try profile.withUnsafeMutableBufferPointer {
                    try reader.readProfile(checkpoint: checkpoint, component: p, first: range.lowerBound, count: range.count, into: $0)
                }
                for (offset, j) in range.enumerated() {
                    rows.append([.int(scan.checkpoints[checkpoint].step), .text(label), .double(scan.coefficients[j]), .float(profile[offset])])
                }
            }
        }
        return ResultTable(columns: columns, rows: rows)
    }
}
