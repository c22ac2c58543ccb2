/// Every stored value of a selection in long form, checkpoint by checkpoint, coefficient by
/// coefficient, component by component — the order numpy's C order gives `[checkpoint, coefficient, component]`.
public enum ValuesTable {
    public static let columns = ["checkpoint_step", "coefficient", "component", "layer", "kind", "value"]

    /// Streams the rows of `selection` (all its checkpoints, or those at `checkpointIndices`) to `writer`.
    public static func write(_ selection: ScanSelection, checkpointIndices: [Int]? = nil, to writer: TableWriter) throws {
        let reader = try selection.matrixReader()
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: selection.valuesPerCheckpoint)
        defer { buffer.deallocate() }
        let labels = selection.components.map { Cell.text($0.label) }
        let layers = selection.components.map { Cell.int($0.layer) }
        let kinds = selection.components.map { Cell.text($0.kind.rawValue) }
        let n = selection.coefficients.count
        for index in checkpointIndices ?? Array(selection.checkpoints.indices) {
            try reader.read(checkpoint: index, into: buffer)
            let step = Cell.int(selection.checkpoints[index].step)
            for (j, coefficient) in selection.coefficients.enumerated() {
                let c = Cell.double(coefficient)
                for p in selection.components.indices {
                    try writer.write([step, c, labels[p], layers[p], kinds[p], .float(buffer[p * n + j])])
                }
            }
        }
        try writer.finish()
    }
}
