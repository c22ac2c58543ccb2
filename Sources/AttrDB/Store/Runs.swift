import Foundation

/// The run registry: list, look up, tag and delete runs.
extension Store {
    /// Every run with its sizes, oldest first.
    public func runs() throws -> [RunSummary] {
        var rows: [(id: Int64, run: Run, checkpoints: Int, components: Int, values: Int)] = []
        try connection.forEachRow("""
            SELECT \(Run.storedColumns("r")), s.checkpoints, s.components, s."values"
            FROM run r JOIN run_summary s ON s.name = r.name ORDER BY r.created_at, r.run_id
            """) { row in
            let (id, run) = try Run.decode(row, store: path)
            rows.append((id, run, row.int(at: Run.columnCount), row.int(at: Run.columnCount + 1), row.int(at: Run.columnCount + 2)))
        }
        return try rows.map { row in
            var run = row.run
            run.tags = try tags(runID: row.id)
            return RunSummary(run: run, checkpoints: row.checkpoints, components: row.components, values: row.values)
        }
    }

    /// The id of the run called `name`; an unknown name lists the closest existing ones.
    public func runID(named name: String) throws -> Int64 {
        if let id = try connection.scalar("SELECT run_id FROM run WHERE name = ?", [.text(name)])?.int64 {
            return id
        }
        throw StoreError.unknownRun(name: name, suggestions: Suggestions.closest(to: name, in: try runNames()))
    }

    public func runNames() throws -> [String] {
        var names: [String] = []
        try connection.forEachRow("SELECT name FROM run ORDER BY name") { names.append($0.string(at: 0)) }
        return names
    }

    /// The run called `name`.
    public func run(named name: String) throws -> Run {
        let id = try runID(named: name)
        let row = try connection.cachedStatement("SELECT \(Run.storedColumns()) FROM run WHERE run_id = ?")
        try row.bind([.integer(id)])
        try row.step()
        var run = try Run.decode(row, store: path).run
        run.tags = try tags(runID: id)
        return run
    }

    func tags(runID: Int64) throws -> [String: String] {
        var tags: [String: String] = [:]
        try connection.forEachRow("SELECT key, value FROM run_tag WHERE run_id = ?", [.integer(runID)]) {
            tags[$0.string(at: 0)] = $0.string(at: 1)
        }
        return tags
    }

    /// Sets `set` (key → value, replacing earlier values) and removes `remove` on one run, in one transaction.
    public func tag(run name: String, set: [(key: String, value: String)], remove: [String]) throws {
        try write {
            let id = try runID(named: name)
            try setTags(set, runID: id)
            let delete = try connection.cachedStatement("DELETE FROM run_tag WHERE run_id = ? AND key = ?")
            for key in remove {
                try delete.bind([.integer(id), .text(key)])
                try delete.step()
            }
        }
    }

    /// Sets tags (key → value, replacing earlier values) on a run, inside the caller's transaction.
    func setTags(_ set: [(key: String, value: String)], runID id: Int64) throws {
        let upsert = try connection.cachedStatement("INSERT INTO run_tag (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value")
        for (key, value) in set {
            try upsert.bind([.integer(id), .text(key), .text(value)])
            try upsert.step()
        }
    }

    /// Marks a run complete: a run streamed from standard input stays incomplete until then. Marking
    /// a complete run again changes nothing.
    public func finish(run name: String) throws {
        try write {
            let id = try runID(named: name)
            try setStatus(.complete, runID: id)
        }
    }

    /// Deletes a run and everything it holds.
    public func deleteRun(named name: String) throws {
        try write {
            let id = try runID(named: name)
            try connection.run("DELETE FROM run WHERE run_id = ?", [.integer(id)])
        }
    }

    /// The current time as ISO 8601 UTC, the form `run.created_at` holds.
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date())
    }
}

extension Run {
    /// How many columns ``storedColumns(_:)`` names.
    static let columnCount: Int32 = 8

    /// The columns ``decode(_:store:)`` reads, in its order, qualified by `table` when given.
    static func storedColumns(_ table: String? = nil) -> String {
        let prefix = table.map { $0 + "." } ?? ""
        return ["run_id", "name", "model", "task", "config", "created_at", "status", "precision"].map { prefix + $0 }.joined(separator: ", ")
    }

    /// Decodes a run row selected as ``storedColumns(_:)`` (its tags left empty): the one place a
    /// run row becomes a ``Run``.
    ///
    /// - Throws: ``StoreError/corrupt(path:detail:)`` for a status or precision attrdb never writes.
    static func decode(_ row: Statement, store path: String) throws -> (id: Int64, run: Run) {
        let name = row.string(at: 1)
        let statusText = row.string(at: 6)
        guard let status = Status(rawValue: statusText) else {
            throw StoreError.corrupt(path: path, detail: "run '\(Escape.terminal(name))' has status '\(Escape.terminal(statusText))', which attrdb does not write (complete, incomplete)")
        }
        let precisionText = row.string(at: 7)
        guard let precision = Precision(rawValue: precisionText) else {
            throw StoreError.corrupt(path: path, detail: "run '\(Escape.terminal(name))' has precision '\(Escape.terminal(precisionText))', which attrdb does not write (f32, f16, bf16)")
        }
        return (row.int64(at: 0), Run(name: name, model: row.optionalString(at: 2), task: row.optionalString(at: 3),
                                      config: row.string(at: 4), createdAt: row.string(at: 5), status: status, precision: precision))
    }
}
