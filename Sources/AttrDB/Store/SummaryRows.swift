/// The `attribution_summary` rows of a matrix (schema/0004_summaries.sql): written at ingest, by
/// the migration for matrices stored before it, and read back by queries and `attrdb check`.
enum SummaryRows {
    /// One statistic's row of one matrix; a replaced matrix's rows are replaced with it.
    static let upsert = """
        INSERT INTO attribution_summary (attribution_id, statistic, n_components, n_layers, n_coefficients, layers, components)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (attribution_id, statistic) DO UPDATE SET n_components = excluded.n_components, n_layers = excluded.n_layers,
            n_coefficients = excluded.n_coefficients, layers = excluded.layers, components = excluded.components
        """

    /// Writes the three statistics' rows of `summary` through `statement` (prepared from ``upsert``).
    static func write(_ summary: MatrixSummary, layout: SummaryLayout, attributionID: Int64, with statement: Statement) throws {
        for statistic in SummaryStatistic.allCases {
            let layers = PackedDoubles.bytes(summary.layers[statistic.index])
            let components = PackedDoubles.bytes(summary.components[statistic.index])
            try layers.withUnsafeBytes { layerBytes in
                try components.withUnsafeBytes { componentBytes in
                    try statement.bind(attributionID, at: 1)
                    try statement.bind(statistic.rawValue, at: 2)
                    try statement.bind(Int64(layout.layerIndex.count), at: 3)
                    try statement.bind(Int64(layout.layers.count), at: 4)
                    try statement.bind(Int64(layout.coefficients), at: 5)
                    try statement.bind(borrowing: layerBytes, at: 6)
                    try statement.bind(borrowing: componentBytes, at: 7)
                    // Reset and unbound however the step ends: the statement never keeps borrowed bytes.
                    defer { try? statement.reset(); statement.clearBindings() }
                    _ = try statement.step()
                }
            }
        }
    }
}
