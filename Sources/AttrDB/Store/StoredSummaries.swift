/// The summaries of matrices already stored: computed for a store upgraded to schema 4 or 6 (the
/// migrations' Swift half) and recomputed by `attrdb check` to compare with what is stored.
enum StoredSummaries {
    /// A stored matrix whose grid keeps summaries, with what names it in a message.
    struct Matrix {
        var attributionID: Int64
        var runID: Int64
        var components: Int
        var coefficients: Int
        /// `attribution.checksum`.
        var checksum: Int64
        /// "run R, scan S, metric M, checkpoint step N (attribution A)".
        var name: String
    }

    /// Every stored matrix whose grid keeps summaries; only those without any summary row when `missingOnly`.
    static func matrices(_ connection: Connection, missingOnly: Bool) throws -> [Matrix] {
        var out: [Matrix] = []
        try connection.forEachRow("""
            SELECT a.attribution_id, s.run_id, a.n_components, a.n_coefficients, a.checksum,
                   'run ' || coalesce(r.name, '?') || ', scan ' || s.name || ', metric ' || coalesce(m.name, '?') ||
                   ', checkpoint step ' || coalesce(c.step, '?') || ' (attribution ' || a.attribution_id || ')'
            FROM attribution a JOIN scan s USING (scan_id) LEFT JOIN run r ON r.run_id = s.run_id
            LEFT JOIN metric m ON m.metric_id = a.metric_id LEFT JOIN checkpoint c ON c.checkpoint_id = a.checkpoint_id
            WHERE a.n_coefficients >= ?
            \(missingOnly ? "AND NOT EXISTS (SELECT 1 FROM attribution_summary x WHERE x.attribution_id = a.attribution_id)" : "")
            ORDER BY s.run_id, a.attribution_id
            """, [.integer(Int64(SummaryLayout.minimumCoefficients))]) {
            out.append(Matrix(attributionID: $0.int64(at: 0), runID: $0.int64(at: 1), components: $0.int(at: 2),
                              coefficients: $0.int(at: 3), checksum: $0.int64(at: 4), name: $0.string(at: 5)))
        }
        return out
    }

    /// Calls `body` with each matrix's layout and the summary its stored values give; a matrix whose
    /// shape disagrees with its run's components or its own length is passed with nil (the
    /// `matrix_shape` and `matrix_length` checks name it), and so is one whose bytes no longer hash
    /// to its checksum when `verifying` (`matrix_checksum` names it: its summaries are no evidence).
    static func recompute(_ connection: Connection, _ matrices: [Matrix], verifying: Bool = false,
                          _ body: (Matrix, SummaryLayout?, MatrixSummary?) throws -> Void) throws {
        var layouts: [Int64: RunLayout] = [:]
        var buffer: [Float] = []
        var halves: [UInt16] = []
        var blob: BlobHandle?
        for matrix in matrices {
            if layouts[matrix.runID] == nil { layouts[matrix.runID] = try runLayout(connection, runID: matrix.runID) }
            let run = layouts[matrix.runID] ?? RunLayout(layers: [], kinds: [], precision: .f32)
            let precision = run.precision
            guard let layout = run.summaryLayout(matrix) else { try body(matrix, nil, nil); continue }
            if let blob { try blob.reopen(rowid: matrix.attributionID) } else {
                blob = try BlobHandle(connection: connection, table: "attribution", column: "matrix", rowid: matrix.attributionID)
            }
            let width = precision == .f32 ? 4 : 2
            guard let handle = blob, handle.count == layout.valuesPerMatrix * width else { try body(matrix, layout, nil); continue }
            if buffer.count != layout.valuesPerMatrix { buffer = [Float](repeating: 0, count: layout.valuesPerMatrix) }
            let hash: Int64
            if precision == .f32 {
                try buffer.withUnsafeMutableBytes { try handle.read(into: $0, at: 0) }
                hash = buffer.withUnsafeBytes { XXHash64.storedValue($0) }
            } else {
                // A 16-bit matrix is summed as readers see it: decoded to float32 (what ingest summed).
                if halves.count != layout.valuesPerMatrix { halves = [UInt16](repeating: 0, count: layout.valuesPerMatrix) }
                try halves.withUnsafeMutableBytes { try handle.read(into: $0, at: 0) }
                hash = halves.withUnsafeBytes { XXHash64.storedValue($0) }
                halves.withUnsafeBufferPointer { stored in
                    buffer.withUnsafeMutableBufferPointer { MatrixPrecision.decode(precision, stored, into: $0) }
                }
            }
            if verifying, hash != matrix.checksum { try body(matrix, layout, nil); continue }
            let summary = buffer.withUnsafeBufferPointer { MatrixSummary($0, layout: layout) }
            try body(matrix, layout, summary)
        }
    }

    /// What a run's summaries are laid out by: its component layers and kinds in position order, and
    /// its precision (which sets the sums' ``SummaryEncoding``).
    struct RunLayout {
        var layers: [Int]
        var kinds: [ComponentKind]
        var precision: Precision

        /// The summaries' layout of one of the run's matrices; nil when its shape disagrees with the
        /// run's components (the `matrix_shape` check names it).
        func summaryLayout(_ matrix: Matrix) -> SummaryLayout? {
            guard layers.count == matrix.components else { return nil }
            return SummaryLayout(layers: layers, kinds: kinds, coefficients: matrix.coefficients, encoding: SummaryEncoding(precision))
        }
    }

    /// A run's component layers and kinds, in position order, and its precision.
    static func runLayout(_ connection: Connection, runID: Int64) throws -> RunLayout {
        var layers: [Int] = [], kinds: [ComponentKind] = []
        try connection.forEachRow("SELECT layer, kind FROM component WHERE run_id = ? ORDER BY position", [.integer(runID)]) {
            layers.append($0.int(at: 0))
            kinds.append(ComponentKind(rawValue: $0.string(at: 1)) ?? .neuron)
        }
        let text = try connection.scalar("SELECT precision FROM run WHERE run_id = ?", [.integer(runID)])?.string
        return RunLayout(layers: layers, kinds: kinds, precision: text.flatMap(Precision.init(rawValue:)) ?? .f32)
    }

    /// Adds the summaries and totals of every stored matrix that has no summary: migration 0004's
    /// Swift half, run in its transaction once every migration's SQL is applied (``Migrator``).
    static func fillMissing(_ connection: Connection) throws {
        let statements = try SummaryRows.Statements(connection)
        try recompute(connection, try matrices(connection, missingOnly: true)) { matrix, layout, summary in
            guard let layout, let summary else { return }
            try SummaryRows.write(summary, layout: layout, attributionID: matrix.attributionID, with: statements)
        }
    }

    /// Adds the totals of every matrix that has its three component sums but no totals: migration
    /// 0006's Swift half. They are computed from the stored sums (no value is read), which ingest
    /// computed from the values: the same totals ingest would have kept.
    static func fillMissingTotals(_ connection: Connection) throws {
        let statements = try SummaryRows.Totals(connection)
        try forEachMatrix(without: "summary_totals", connection) { matrix, layout, rows in
            // A matrix missing a statistic, or with sums of the wrong length, is left for `check` to name.
            let sums = SummaryStatistic.allCases.compactMap { rows[$0]?.components(fitting: layout) }
            guard sums.count == SummaryStatistic.allCases.count else { return }
            let totals = SummaryStatistic.allCases.map { SummaryTotals(sums[$0.index], statistic: $0, layout: layout) }
            try SummaryRows.writeTotals(totals, layerCount: layout.layers.count, attributionID: matrix.attributionID, with: statements)
        }
    }

    /// Adds the ranked masses of every matrix that has its `abs` component sums but none ranked:
    /// migration 0009's Swift half. They are ranked from the stored sums (no value is read), the
    /// very sums ingest ranks.
    static func fillMissingRanked(_ connection: Connection) throws {
        let statements = try SummaryRows.Totals(connection)
        try forEachMatrix(without: "summary_ranked", connection) { matrix, layout, rows in
            guard let sums = rows[.abs]?.components(fitting: layout) else { return }  // left for `check` to name
            let ranked = SummaryTotals(sums, statistic: .abs, layout: layout).ranked
            try SummaryRows.writeRanked(ranked, statistic: .abs, attributionID: matrix.attributionID, with: statements)
        }
    }

    /// Calls `body` with each matrix that keeps summaries but has no row in `table`, its layout and
    /// its stored sums; a matrix whose shape disagrees with its run's components is skipped.
    private static func forEachMatrix(without table: String, _ connection: Connection,
                                      _ body: (Matrix, SummaryLayout, [SummaryStatistic: StoredRow]) throws -> Void) throws {
        var layouts: [Int64: RunLayout] = [:]
        for matrix in try matrices(connection, missingOnly: false) {
            guard try connection.scalar("SELECT count(*) FROM \(table) WHERE attribution_id = ?", [.integer(matrix.attributionID)])?.int64 == 0 else { continue }
            if layouts[matrix.runID] == nil { layouts[matrix.runID] = try runLayout(connection, runID: matrix.runID) }
            guard let layout = layouts[matrix.runID]?.summaryLayout(matrix) else { continue }
            try body(matrix, layout, try stored(connection, attributionID: matrix.attributionID, encoding: layout.encoding))
        }
    }

    /// Stores every 16-bit run's summaries written as float64 (before schema 7) as float32, with
    /// totals added up again from the rounded sums: migration 0007's Swift half. No value is read:
    /// rounding the stored Double gives the very float32 an ingest now stores, since both round the
    /// same Double. Rows already float32, and rows of another length (`check` names them), are left.
    /// Only the `abs` rows are written back: `SummaryRows.write` drops the statistics a 16-bit run no
    /// longer keeps (``SummaryEncoding/statistics``).
    static func narrowHalfPrecisionSums(_ connection: Connection) throws {
        let statements = try SummaryRows.Statements(connection)
        var layouts: [Int64: RunLayout] = [:]
        for matrix in try matrices(connection, missingOnly: false) {
            if layouts[matrix.runID] == nil { layouts[matrix.runID] = try runLayout(connection, runID: matrix.runID) }
            guard let layout = layouts[matrix.runID]?.summaryLayout(matrix), layout.encoding != .float64 else { continue }
            let rows = try stored(connection, attributionID: matrix.attributionID, encoding: .float64)
            let old = layout.encoded(as: .float64)
            let components = SummaryStatistic.allCases.compactMap { rows[$0]?.components(fitting: old) }
            let layers = SummaryStatistic.allCases.compactMap { rows[$0]?.layers(fitting: old) }
            guard components.count == SummaryStatistic.allCases.count, layers.count == components.count else { continue }
            let summary = MatrixSummary(components: components, layers: layers, layout: layout)
            try SummaryRows.write(summary, layout: layout, attributionID: matrix.attributionID, with: statements)
        }
    }

    /// One statistic's stored sums of a matrix, decoded by the run's encoding, with the blobs' lengths.
    struct StoredRow {
        /// nil when the blob is not a whole number of sums of the encoding's width.
        var components: [Double]?
        var layers: [Double]?
        var componentBytes: Int
        var layerBytes: Int
        var encoding: SummaryEncoding

        /// The component sums when the blob holds exactly one sum per component of `layout`.
        func components(fitting layout: SummaryLayout) -> [Double]? {
            componentBytes == layout.layerIndex.count * encoding.width ? components : nil
        }

        /// The per-(layer, coefficient) sums when the blob holds exactly one per layer and coefficient of `layout`.
        func layers(fitting layout: SummaryLayout) -> [Double]? {
            layerBytes == layout.layers.count * layout.coefficients * encoding.width ? layers : nil
        }
    }

    /// The stored component and per-(layer, coefficient) sums of a matrix, by statistic, read as `encoding`.
    static func stored(_ connection: Connection, attributionID: Int64, encoding: SummaryEncoding) throws -> [SummaryStatistic: StoredRow] {
        var out: [SummaryStatistic: StoredRow] = [:]
        try connection.forEachRow("SELECT statistic, components, layers FROM attribution_summary WHERE attribution_id = ?",
                                  [.integer(attributionID)]) { row in
            guard let statistic = SummaryStatistic(rawValue: row.string(at: 0)) else { return }
            let (components, componentBytes) = row.withBytes(at: 1) { (encoding.decode($0), $0.count) }
            let (layers, layerBytes) = row.withBytes(at: 2) { (encoding.decode($0), $0.count) }
            out[statistic] = StoredRow(components: components, layers: layers, componentBytes: componentBytes,
                                       layerBytes: layerBytes, encoding: encoding)
        }
        return out
    }

    /// The stored totals of a matrix, by statistic; a row whose sums do not fit its layer count is
    /// read as nil (``StoreCheck`` names it).
    static func storedTotals(_ connection: Connection, attributionID: Int64) throws -> [SummaryStatistic: SummaryTotals?] {
        var out: [SummaryStatistic: SummaryTotals?] = [:]
        try connection.forEachRow("SELECT statistic, n_layers, sums, entropy, gini, largest FROM summary_totals WHERE attribution_id = ?",
                                  [.integer(attributionID)]) { row in
            guard let statistic = SummaryStatistic(rawValue: row.string(at: 0)) else { return }
            out[statistic] = SummaryTotals(row: row, layerColumn: 1)
        }
        return out
    }
}
