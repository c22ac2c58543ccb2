/// The summaries of matrices already stored: computed for a store upgraded to schema 4 (the
/// migration's Swift half) and recomputed by `attrdb check` to compare with what is stored.
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
        var layouts: [Int64: (layers: [Int], precision: Precision)] = [:]
        var buffer: [Float] = []
        var halves: [UInt16] = []
        var blob: BlobHandle?
        for matrix in matrices {
            if layouts[matrix.runID] == nil {
                var layers: [Int] = []
                try connection.forEachRow("SELECT layer FROM component WHERE run_id = ? ORDER BY position", [.integer(matrix.runID)]) {
                    layers.append($0.int(at: 0))
                }
                // Migration 0004 runs before 0005 adds `run.precision`: every run is float32 then.
                let text = (try? connection.scalar("SELECT precision FROM run WHERE run_id = ?", [.integer(matrix.runID)]))??.string
                layouts[matrix.runID] = (layers, text.flatMap(Precision.init(rawValue:)) ?? .f32)
            }
            let (layers, precision) = layouts[matrix.runID] ?? ([], .f32)
            guard layers.count == matrix.components else { try body(matrix, nil, nil); continue }
            let layout = SummaryLayout(layers: layers, coefficients: matrix.coefficients)
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

    /// Adds the summaries of every stored matrix that has none: migration 0004's Swift half, run in
    /// its transaction (``Migrator``).
    static func fillMissing(_ connection: Connection) throws {
        let statement = try connection.prepare(SummaryRows.upsert)
        try recompute(connection, try matrices(connection, missingOnly: true)) { matrix, layout, summary in
            guard let layout, let summary else { return }
            try SummaryRows.write(summary, layout: layout, attributionID: matrix.attributionID, with: statement)
        }
    }

    /// The stored summary rows of a matrix, by statistic.
    static func stored(_ connection: Connection, attributionID: Int64) throws -> [SummaryStatistic: (layers: [Double], components: [Double])] {
        var out: [SummaryStatistic: (layers: [Double], components: [Double])] = [:]
        try connection.forEachRow("SELECT statistic, layers, components FROM attribution_summary WHERE attribution_id = ?",
                                  [.integer(attributionID)]) { row in
            guard let statistic = SummaryStatistic(rawValue: row.string(at: 0)) else { return }
            out[statistic] = (row.withBytes(at: 1) { PackedDoubles.decode($0) }, row.withBytes(at: 2) { PackedDoubles.decode($0) })
        }
        return out
    }
}
