/// The components with the largest |value| at a checkpoint and coefficient (or the mean over a
/// coefficient range), with their share and how their rank moved since the previous stored checkpoint.
public enum TopComponents {
    public static let columns = ["checkpoint_step", "coefficient", "rank", "component", "layer", "kind", "value", "share", "rank_change"]

    /// `rank_change` is the rank at the previous stored checkpoint minus the rank now (positive: rose);
    /// null at the first stored checkpoint. Ties in |value| go to the component earlier in the run.
    public static func table(_ selection: ResolvedSelection, k: Int) throws -> ResultTable {
        let scan = selection.scan
        let reader = try scan.matrixReader()
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: scan.valuesPerCheckpoint)
        defer { buffer.deallocate() }
        let range = selection.coefficients
        let coefficientCell: Cell = range.count == 1 ? .double(scan.coefficients[range.lowerBound])
            : .text("mean \(scan.coefficients[range.lowerBound]):\(scan.coefficients[range.upperBound - 1])")

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

        var rows: [[Cell]] = []
        for checkpoint in selection.checkpoints where !range.isEmpty {
            let now = try values(at: checkpoint)
            let order = ranking(now)
            var previousRank: [Int: Int] = [:]
            if checkpoint > 0 {
                for (rank, index) in ranking(try values(at: checkpoint - 1)).enumerated() { previousRank[index] = rank + 1 }
            }
            let total = now.reduce(0) { $0 + abs($1) }
            for (rank, index) in order.prefix(k).enumerated() {
                let component = scan.components[selection.components[index]]
                rows.append([.int(scan.checkpoints[checkpoint].step), coefficientCell, .int(rank + 1), .text(component.label),
                             .int(component.layer), .text(component.kind.rawValue),
                             range.count == 1 ? .float(Float(now[index])) : .double(now[index]),
                             .double(total > 0 ? abs(now[index]) / total : .nan),
                             previousRank[index].map { .int($0 - (rank + 1)) } ?? .null])
            }
        }
        return ResultTable(columns: columns, rows: rows)
    }
}
