/// Scans, their coefficient grids, metrics, and the packed matrices stored for them.
extension Store {
    /// A stored scan row: its id, name, hook and config (its grid is in the coefficient table).
    struct ScanRow {
        var id: Int64
        var name: String
        var hook: String?
        var config: String
    }

    /// A metric's id and name.
    struct MetricRow {
        var id: Int64
        var name: String
    }

    /// The run's scans, oldest first: the one place a scan row is decoded.
    func scans(runID: Int64) throws -> [ScanRow] {
        var scans: [ScanRow] = []
        try connection.forEachRow("SELECT scan_id, name, hook, config FROM scan WHERE run_id = ? ORDER BY scan_id", [.integer(runID)]) {
            scans.append(ScanRow(id: $0.int64(at: 0), name: $0.string(at: 1), hook: $0.optionalString(at: 2), config: $0.string(at: 3)))
        }
        return scans
    }

    /// The run's scans with their grids, oldest first.
    func scanDetails(runID: Int64) throws -> [(id: Int64, scan: Scan)] {
        try scans(runID: runID).map { ($0.id, Scan(name: $0.name, hook: $0.hook, config: $0.config, coefficients: try coefficients(scanID: $0.id))) }
    }

    /// The metrics that have at least one matrix in the scan, by name.
    func metrics(scanID: Int64) throws -> [MetricRow] {
        var metrics: [MetricRow] = []
        try connection.forEachRow("SELECT DISTINCT m.metric_id, m.name FROM attribution a JOIN metric m USING (metric_id) WHERE a.scan_id = ? ORDER BY m.name", [.integer(scanID)]) {
            metrics.append(MetricRow(id: $0.int64(at: 0), name: $0.string(at: 1)))
        }
        return metrics
    }

    /// The scan's coefficient grid in position order.
    func coefficients(scanID: Int64) throws -> [Double] {
        var coefficients: [Double] = []
        try connection.forEachRow("SELECT value FROM coefficient WHERE scan_id = ? ORDER BY position", [.integer(scanID)]) {
            coefficients.append($0.double(at: 0))
        }
        return coefficients
    }

    /// How many checkpoints have a matrix in the scan.
    func checkpointCount(scanID: Int64) throws -> Int {
        Int(try connection.scalar("SELECT count(DISTINCT checkpoint_id) FROM attribution WHERE scan_id = ?", [.integer(scanID)])?.int64 ?? 0)
    }

    /// The matrices of one (scan, metric), ascending by checkpoint step: their steps and row ids
    /// only, which the index on (scan, metric, checkpoint) holds. Any other column of an attribution
    /// row (its checksum, its matrix's length) lies in the row's own leaf page, beside the start of
    /// its matrix: reading one for every checkpoint reads a 64 KiB page each, 64 MB at 1 000
    /// checkpoints, which cost a whole-grid query more than its answer.
    func storedMatrices(scanID: Int64, metricID: Int64) throws -> [ScanSelection.StoredCheckpoint] {
        var checkpoints: [ScanSelection.StoredCheckpoint] = []
        try connection.forEachRow("""
            SELECT c.step, a.attribution_id FROM attribution a JOIN checkpoint c USING (checkpoint_id)
            WHERE a.scan_id = ? AND a.metric_id = ? ORDER BY c.step
            """, [.integer(scanID), .integer(metricID)]) {
            checkpoints.append(ScanSelection.StoredCheckpoint(step: $0.int(at: 0), attributionID: $0.int64(at: 1)))
        }
        return checkpoints
    }

    /// `attribution.checksum` of one matrix: the xxHash64 of its bytes as ingest wrote them.
    func matrixChecksum(attributionID: Int64) throws -> Int64? {
        try connection.scalar("SELECT checksum FROM attribution WHERE attribution_id = ?", [.integer(attributionID)])?.int64
    }

    /// A blob handle on one stored matrix, for incremental reads (or writes, with `writable`);
    /// ``BlobHandle/reopen(rowid:)`` moves it to the next matrix without opening anew.
    func openMatrix(attributionID: Int64, writable: Bool = false) throws -> BlobHandle {
        try BlobHandle(connection: connection, table: "attribution", column: "matrix", rowid: attributionID, writable: writable)
    }
}
