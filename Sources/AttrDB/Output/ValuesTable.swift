/// Every stored value of a selection in long form, checkpoint by checkpoint, coefficient by
/// coefficient, component by component — the order numpy's C order gives `[checkpoint, coefficient, component]`.
public enum ValuesTable {
    public static let columns = ["checkpoint_step", "coefficient", "component", "layer", "kind", "value"]
    /// The same columns as Parquet types: values stay float32.
    public static let parquetColumns = [ParquetColumn("checkpoint_step", .int64), ParquetColumn("coefficient", .double),
                                         ParquetColumn("component", .string), ParquetColumn("layer", .int64),
                                         ParquetColumn("kind", .string), ParquetColumn("value", .float)]

    /// Streams the rows of `selection` (all its checkpoints, or those at `checkpointIndices`; all its
    /// coefficients and components, or those at `coefficients` and `components`) to `writer`.
    public static func write(_ selection: ScanSelection, checkpointIndices: [Int]? = nil, coefficients: Range<Int>? = nil,
                             components: [Int]? = nil, to writer: RowSink) throws {
        let reader = try selection.matrixReader()
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: selection.valuesPerCheckpoint)
        defer { buffer.deallocate() }
        let all = try selection.components
        let labels = all.map { Cell.text($0.label) }
        let layers = all.map { Cell.int($0.layer) }
        let kinds = all.map { Cell.text($0.kind.rawValue) }
        let n = selection.coefficients.count
        for index in checkpointIndices ?? Array(selection.checkpoints.indices) {
            try reader.read(checkpoint: index, into: buffer, verifying: true)
            let step = Cell.int(selection.checkpoints[index].step)
            for j in coefficients ?? selection.coefficients.indices {
                let c = Cell.double(selection.coefficients[j])
                for p in components ?? Array(all.indices) {
                    try writer.write([step, c, labels[p], layers[p], kinds[p], .float(buffer[p * n + j])])
                }
            }
        }
        try writer.finish()
    }
}

extension ValuesTable {
    /// The selection's values as numpy's `[checkpoints, coefficients, components]` float32 array —
    /// the bit patterns stored, in the order ingest took them — and the axes.json that goes beside it,
    /// so the pair is a dataset folder `attrdb ingest` reads back. `coefficients` and `components`
    /// keep a subset of the grid and of the components; axes.json then lists just those.
    public static func writeNPY(_ selection: ScanSelection, checkpointIndices: [Int]? = nil, coefficients: Range<Int>? = nil,
                                components: [Int]? = nil, to sink: OutputSink) throws -> String {
        let indices = checkpointIndices ?? Array(selection.checkpoints.indices)
        let keptCoefficients = coefficients ?? selection.coefficients.indices
        let keptComponents = components ?? Array(0..<selection.layers.count)
        let n = selection.coefficients.count, p = selection.layers.count
        let m = keptCoefficients.count, q = keptComponents.count
        let writer = try NPYWriter(sink: sink, dtype: .float32, shape: [indices.count, m, q])
        let reader = try selection.matrixReader()
        let matrix = UnsafeMutableBufferPointer<Float>.allocate(capacity: n * p)
        let rows = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, m * q))
        defer { matrix.deallocate(); rows.deallocate() }
        for index in indices {
            try reader.read(checkpoint: index, into: matrix, verifying: true)
            for (j, coefficient) in keptCoefficients.enumerated() {
                for (c, component) in keptComponents.enumerated() { rows[j * q + c] = matrix[component * n + coefficient] }
            }
            try writer.append(UnsafeBufferPointer(rebasing: rows[0..<(m * q)]))
        }
        try writer.finish()
        let components = try selection.components(at: keptComponents).map { component -> JSONValue in
            .object(["label": .string(component.label), "layer": .number(Double(component.layer)), "kind": .string(component.kind.rawValue),
                     "index": component.index.map { .number(Double($0)) } ?? .null])
        }
        let axes: JSONValue = .object([
            "checkpoint_steps": .array(indices.map { .number(Double(selection.checkpoints[$0].step)) }),
            "coefficients": .array(keptCoefficients.map { .number(selection.coefficients[$0]) }),
            "components": .array(components),
            "metric": .string(selection.metric),
            "metadata": .object(["run": .string(selection.run), "scan": .string(selection.scan)]),
        ])
        return axes.jsonText
    }
}
