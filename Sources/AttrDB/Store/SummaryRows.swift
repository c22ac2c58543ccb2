/// The `attribution_summary`, `summary_totals` and `summary_ranked` rows of a matrix (schema/0004_summaries.sql,
/// 0006_summary_totals.sql, 0009_ranked_masses.sql): written at ingest, by the migrations for matrices stored before them,
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

    /// One statistic's ranked masses of one matrix.
    static let upsertRanked = """
        INSERT INTO summary_ranked (attribution_id, statistic, n_components, ranked) VALUES (?, ?, ?, ?)
        ON CONFLICT (attribution_id, statistic) DO UPDATE SET n_components = excluded.n_components, ranked = excluded.ranked
        """

    /// Removes a matrix's ranked masses of a statistic: a replaced matrix whose sums are no longer all finite.
    static let deleteRanked = "DELETE FROM summary_ranked WHERE attribution_id = ? AND statistic = ?"

    /// Removes the `attribution_summary` rows of a matrix's statistics its run does not keep: a
    /// 16-bit matrix replaced (or narrowed by migration 7) where an older attrdb kept all three.
    static let deleteStatistic = "DELETE FROM attribution_summary WHERE attribution_id = ? AND statistic = ?"

    /// The statements a writer of summaries prepares once.
    struct Statements {
        let summary: Statement
        let totals: Totals
        let deleteStatistic: Statement

        init(_ connection: Connection) throws {
            summary = try connection.prepare(SummaryRows.upsert)
            totals = try Totals(connection)
            deleteStatistic = try connection.prepare(SummaryRows.deleteStatistic)
        }
    }

    /// The statements that write a matrix's totals and ranked masses.
    struct Totals {
        let totals: Statement
        let ranked: Statement
        let deleteRanked: Statement

        init(_ connection: Connection) throws {
            totals = try connection.prepare(SummaryRows.upsertTotals)
            ranked = try connection.prepare(SummaryRows.upsertRanked)
            deleteRanked = try connection.prepare(SummaryRows.deleteRanked)
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

    /// Writes the three statistics' `summary_totals` rows (`totals` by statistic index), and the
    /// `summary_ranked` row of those that rank their masses.
    static func writeTotals(_ totals: [SummaryTotals], layerCount: Int, attributionID: Int64, with statements: Totals) throws {
        for statistic in SummaryStatistic.allCases {
            let figures = totals[statistic.index].concentration
            let statement = statements.totals
            try statement.bind([.integer(attributionID), .text(statistic.rawValue), .integer(Int64(layerCount)),
                                .blob(PackedDoubles.bytes(totals[statistic.index].sums)),
                                figures.map { .real($0.entropy) } ?? .null, figures.map { .real($0.gini) } ?? .null,
                                figures.map { .blob(PackedDoubles.bytes($0.largest)) } ?? .null])
            defer { try? statement.reset(); statement.clearBindings() }
            _ = try statement.step()
            try writeRanked(totals[statistic.index].ranked, statistic: statistic, attributionID: attributionID, with: statements)
        }
    }

    /// Writes a statistic's ranked masses, or removes the ones an earlier matrix under the same id kept.
    static func writeRanked(_ ranked: RankedMasses?, statistic: SummaryStatistic, attributionID: Int64, with statements: Totals) throws {
        let statement = ranked == nil ? statements.deleteRanked : statements.ranked
        try statement.bind([.integer(attributionID), .text(statistic.rawValue)]
                           + (ranked.map { [.integer(Int64($0.componentCount)), .blob($0.bytes)] } ?? []))
        defer { try? statement.reset(); statement.clearBindings() }
        _ = try statement.step()
    }
}
