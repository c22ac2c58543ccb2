/// The `attribution_summary` and `summary_totals` rows of a matrix (schema/0004_summaries.sql,
/// 0006_summary_totals.sql): written at ingest, by the migrations for matrices stored before them,
/// and read back by queries and `attrdb check`.
enum SummaryRows {
    /// One statistic's component sums of one matrix; a replaced matrix's rows are replaced with it.
    static let upsert = """
        INSERT INTO attribution_summary (attribution_id, statistic, n_components, n_layers, n_coefficients, layers, components)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (attribution_id, statistic) DO UPDATE SET n_components = excluded.n_components, n_layers = excluded.n_layers,
            n_coefficients = excluded.n_coefficients, layers = excluded.layers, components = excluded.components
        """

    /// One statistic's totals of one matrix.
    static let upsertTotals = """
        INSERT INTO summary_totals (attribution_id, statistic, n_layers, sums, entropy, gini, largest)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (attribution_id, statistic) DO UPDATE SET n_layers = excluded.n_layers, sums = excluded.sums,
            entropy = excluded.entropy, gini = excluded.gini, largest = excluded.largest
        """

    /// Removes the `attribution_summary` rows of a matrix's statistics its run does not keep: a
    /// 16-bit matrix replaced (or narrowed by migration 7) where an older attrdb kept all three.
    static let deleteStatistic = "DELETE FROM attribution_summary WHERE attribution_id = ? AND statistic = ?"

    /// The statements a writer of summaries prepares once.
    struct Statements {
        let summary: Statement
        let totals: Statement
        let deleteStatistic: Statement

        init(_ connection: Connection) throws {
            summary = try connection.prepare(SummaryRows.upsert)
            totals = try connection.prepare(SummaryRows.upsertTotals)
            deleteStatistic = try connection.prepare(SummaryRows.deleteStatistic)
        }
    }

    /// Writes the rows of `summary`: the component and per-layer sums of the statistics its run keeps
    /// (``SummaryEncoding/statistics``), and the totals of all three.
    static func write(_ summary: MatrixSummary, layout: SummaryLayout, attributionID: Int64, with statements: Statements) throws {
        for statistic in SummaryStatistic.allCases where !layout.encoding.statistics.contains(statistic) {
            let statement = statements.deleteStatistic
            try statement.bind([.integer(attributionID), .text(statistic.rawValue)])
            defer { try? statement.reset(); statement.clearBindings() }
            _ = try statement.step()
        }
        for statistic in layout.encoding.statistics {
            let layers = layout.encoding.bytes(summary.layers[statistic.index])
            let components = layout.encoding.bytes(summary.components[statistic.index])
            let statement = statements.summary
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
        try writeTotals(summary.totals, layerCount: layout.layers.count, attributionID: attributionID, with: statements.totals)
    }

    /// Writes the three statistics' `summary_totals` rows (`totals` by statistic index).
    static func writeTotals(_ totals: [SummaryTotals], layerCount: Int, attributionID: Int64, with statement: Statement) throws {
        for statistic in SummaryStatistic.allCases {
            let figures = totals[statistic.index].concentration
            try statement.bind([.integer(attributionID), .text(statistic.rawValue), .integer(Int64(layerCount)),
                                .blob(PackedDoubles.bytes(totals[statistic.index].sums)),
                                figures.map { .real($0.entropy) } ?? .null, figures.map { .real($0.gini) } ?? .null,
                                figures.map { .blob(PackedDoubles.bytes($0.largest)) } ?? .null])
            defer { try? statement.reset(); statement.clearBindings() }
            _ = try statement.step()
        }
    }
}
