/// A numeric table as a 2-d float64 `.npy` array `[rows, columns]`; a null is NaN.
enum NumericArray {
    /// Writes `table` into `sink`, which the caller finishes.
    static func write(_ table: ResultTable, to sink: OutputSink) throws {
        if let column = table.columns.indices.first(where: { i in table.rows.contains { !$0[i].isNumeric && $0[i] != .null } }) {
            throw StoreError.invalidArgument("npy output takes numeric tables; column '\(table.columns[column])' holds text (use csv, json or parquet)")
        }
        let writer = try NPYWriter(sink: sink, dtype: .float64, shape: [table.rows.count, table.columns.count])
        for row in table.rows { try writer.append(row.map { $0.doubleValue ?? .nan }) }
        try writer.finish()
    }
}
