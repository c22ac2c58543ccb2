/// The rows an ingest registers before its matrices: the run, its scan and grid, the metric.
/// Whether what is stored agrees with the input is the ingest's question (``Recorder``); these
/// read and write the rows.
extension Store {
    /// The run called `name` with its id, nil when there is none.
    func storedRun(named name: String) throws -> (id: Int64, run: Run)? {
        let row = try connection.cachedStatement("SELECT \(Run.storedColumns()) FROM run WHERE name = ?")
        try row.bind([.text(name)])
        guard try row.step() else { return nil }
        return try Run.decode(row, store: path)
    }

    /// Adds an incomplete run created now; returns its id.
    func insertRun(name: String, model: String?, task: String?, config: String, precision: Precision) throws -> Int64 {
        try connection.run("INSERT INTO run (name, model, task, config, created_at, status, precision) VALUES (?, ?, ?, ?, ?, 'incomplete', ?)",
                           [.text(name), SQLValue(model), SQLValue(task), .text(config), .text(Store.now()), .text(precision.rawValue)])
        return connection.lastInsertRowID
    }

    /// Sets whichever of model, task and config are given.
    func updateRun(id: Int64, model: String?, task: String?, config: String?) throws {
        try connection.run("UPDATE run SET model = coalesce(?, model), task = coalesce(?, task), config = coalesce(?, config) WHERE run_id = ?",
                           [SQLValue(model), SQLValue(task), SQLValue(config), .integer(id)])
    }

    /// Raises the run's recorded rounding errors to include `rounding` (they only grow: each is the
    /// largest over every matrix ingested into the run).
    func recordRounding(_ rounding: RoundingError, runID: Int64) throws {
        try connection.run("UPDATE run SET max_relative_error = max(max_relative_error, ?), max_rounded_to_zero = max(max_rounded_to_zero, ?) WHERE run_id = ?",
                           [.real(Double(rounding.maxRelative)), .real(Double(rounding.maxRoundedToZero)), .integer(runID)])
    }

    /// The run's recorded rounding errors (zero for a float32 run).
    func rounding(runID: Int64) throws -> RoundingError {
        let row = try connection.cachedStatement("SELECT max_relative_error, max_rounded_to_zero FROM run WHERE run_id = ?")
        try row.bind([.integer(runID)])
        defer { try? row.reset() }
        guard try row.step() else { return RoundingError() }
        return RoundingError(maxRelative: Float(row.double(at: 0)), maxRoundedToZero: Float(row.double(at: 1)))
    }

    /// The run's precision: how its matrices are packed.
    func precision(runID: Int64) throws -> Precision {
        let text = try connection.scalar("SELECT precision FROM run WHERE run_id = ?", [.integer(runID)])?.string ?? Precision.f32.rawValue
        guard let precision = Precision(rawValue: text) else {
            throw StoreError.corrupt(path: path, detail: "run \(runID) has precision '\(Escape.terminal(text))', which attrdb does not write (f32, f16, bf16)")
        }
        return precision
    }

    /// Sets the run's status.
    func setStatus(_ status: Run.Status, runID: Int64) throws {
        try connection.run("UPDATE run SET status = ? WHERE run_id = ? AND status <> ?", [.text(status.rawValue), .integer(runID), .text(status.rawValue)])
    }

    /// The id of the run's scan called `name`, nil when there is none.
    func scanID(runID: Int64, named name: String) throws -> Int64? {
        try connection.scalar("SELECT scan_id FROM scan WHERE run_id = ? AND name = ?", [.integer(runID), .text(name)])?.int64
    }

    /// Adds a scan with its coefficient grid; returns its id.
    func insertScan(runID: Int64, name: String, hook: String?, coefficients: [Double]) throws -> Int64 {
        try connection.run("INSERT INTO scan (run_id, name, hook, n_coefficients) VALUES (?, ?, ?, ?)",
                           [.integer(runID), .text(name), SQLValue(hook), .integer(Int64(coefficients.count))])
        let id = connection.lastInsertRowID
        let insert = try connection.cachedStatement("INSERT INTO coefficient (scan_id, position, value) VALUES (?, ?, ?)")
        for (position, value) in coefficients.enumerated() {
            try insert.bind([.integer(id), .integer(Int64(position)), .real(value)])
            try insert.step()
        }
        return id
    }

    /// Deletes a scan with its grid and matrices.
    func deleteScan(id: Int64) throws {
        try connection.run("DELETE FROM scan WHERE scan_id = ?", [.integer(id)])
    }

    /// The id of the metric called `name`, added when new.
    func metricID(named name: String) throws -> Int64 {
        if let id = try connection.scalar("SELECT metric_id FROM metric WHERE name = ?", [.text(name)])?.int64 { return id }
        try connection.run("INSERT INTO metric (name) VALUES (?)", [.text(name)])
        return connection.lastInsertRowID
    }
}
