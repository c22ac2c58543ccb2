import Foundation

/// The run registry: list, look up, tag and delete runs.
extension Store {
    /// Every run with its sizes, oldest first.
    public func runs() throws -> [RunSummary] {
        var result: [RunSummary] = []
        try connection.forEachRow("""
            SELECT r.run_id, r.name, r.model, r.task, r.config, r.created_at, r.status,
                   s.checkpoints, s.components, s."values"
            FROM run r JOIN run_summary s ON s.name = r.name ORDER BY r.created_at, r.run_id
            """) { row in
            let id = row.int64(at: 0)
            let run = Run(name: row.string(at: 1), model: row.optionalString(at: 2), task: row.optionalString(at: 3),
                          config: row.string(at: 4), createdAt: row.string(at: 5),
                          status: Run.Status(rawValue: row.string(at: 6)) ?? .incomplete, tags: try tags(runID: id))
            result.append(RunSummary(run: run, checkpoints: row.int(at: 7), components: row.int(at: 8), values: row.int(at: 9)))
        }
        return result
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
        let row = try connection.prepare("SELECT name, model, task, config, created_at, status FROM run WHERE run_id = ?")
        try row.bind([.integer(id)])
        try row.step()
        return Run(name: row.string(at: 0), model: row.optionalString(at: 1), task: row.optionalString(at: 2),
                   config: row.string(at: 3), createdAt: row.string(at: 4),
                   status: Run.Status(rawValue: row.string(at: 5)) ?? .incomplete, tags: try tags(runID: id))
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
            let upsert = try connection.prepare("INSERT INTO run_tag (run_id, key, value) VALUES (?, ?, ?) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value")
            for (key, value) in set {
                try upsert.bind([.integer(id), .text(key), .text(value)])
                try upsert.step()
            }
            let delete = try connection.prepare("DELETE FROM run_tag WHERE run_id = ? AND key = ?")
            for key in remove {
                try delete.bind([.integer(id), .text(key)])
                try delete.step()
            }
        }
    }

    /// Marks a run complete: a run streamed from standard input stays incomplete until then. Marking
    /// a complete run again changes nothing.
    public func finish(run name: String) throws {
        try write {
            let id = try runID(named: name)
            try connection.run("UPDATE run SET status = 'complete' WHERE run_id = ? AND status <> 'complete'", [.integer(id)])
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
