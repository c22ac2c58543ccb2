import Foundation

/// `attrdb merge`: brings the runs of another store into this one, one transaction per source.
///
/// The source is attached read-only (`mode=ro`): it is never written. Rows are matched by what
/// names them — a run by name, a component by position, a scan by name, a metric by name, a
/// checkpoint by step, a matrix by (scan, metric, checkpoint) — and the source's ids are mapped to
/// the store's in temporary tables, so the matrices are copied with `INSERT … SELECT` as stored
/// (bytes and checksum; nothing decoded). Columns are copied by name, so a column a later
/// migration adds comes along.
extension Store {
    /// The name the source is attached under for the merge.
    static let mergeSource = "merge_source"

    /// Merges the runs of the store at `source` (only `run` when given) into this one in one
    /// transaction. Identical matrices change nothing; a run whose components or grid differ, a
    /// matrix or a statistic whose values differ, is refused with an ``IngestError`` of kind
    /// `.conflict` naming it and the source, unless `replace`. A source that is this store, made by
    /// another schema version, or holding a damaged matrix the merge would copy is refused
    /// before anything is written.
    public func merge(from source: String, run: String? = nil, replace: Bool = false) throws -> MergeSummary {
        let started = Date()
        try checkMergeSource(source)
        try attachSource(source)
        defer { try? connection.execute("DETACH DATABASE \(Store.mergeSource)") }
        var summary = MergeSummary(source: source)
        do {
            try checkSourceVersion(source)
            try write {
                try MergeSession(store: self, source: source, replace: replace).run(only: run, into: &summary)
            }
        } catch let error as SQLiteError {
            throw translate(error)
        }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Refuses a missing source, or one that is this store's own file.
    private func checkMergeSource(_ source: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else { throw StoreError.missing(path: source) }
        if isDirectory.boolValue { throw StoreError.isDirectory(path: source) }
        var mine = stat(), theirs = stat()
        if stat(path, &mine) == 0 && stat(source, &theirs) == 0 && mine.st_dev == theirs.st_dev && mine.st_ino == theirs.st_ino {
            throw StoreError.badInput("\(source): is the store being merged into (\(path)); give another store to merge from")
        }
    }

    /// Attaches the source read-only; in a folder this process cannot write (no `-shm` can be made)
    /// a source with no log beside it is attached immutable, as ``Store/readOnlyConnection`` opens one.
    private func attachSource(_ source: String) throws {
        do {
            try connection.run("ATTACH DATABASE ? AS \(Store.mergeSource)", [.text(Connection.fileURI(source, query: "mode=ro"))])
            _ = try connection.scalar("SELECT count(*) FROM \(Store.mergeSource).sqlite_schema")
        } catch let error as SQLiteError {
            try? connection.execute("DETACH DATABASE \(Store.mergeSource)")
            guard error.isReadOnly || error.isCannotOpen, !FileManager.default.fileExists(atPath: source + "-wal") else {
                throw Store.translate(error, path: source, busyTimeout: busyTimeout)
            }
            do {
                try connection.run("ATTACH DATABASE ? AS \(Store.mergeSource)", [.text(Connection.immutableURI(source))])
            } catch let error as SQLiteError {
                throw Store.translate(error, path: source, busyTimeout: busyTimeout)
            }
        }
    }

    /// The source must be an attrdb store of this store's schema version. An older one is refused
    /// rather than upgraded: upgrading writes the file (a source is never written) or a copy of
    /// it (the size of the store again); `attrdb init` upgrades it where it is.
    private func checkSourceVersion(_ source: String) throws {
        // In one read transaction, so the version and the tables are of one snapshot.
        let (version, tables) = try connection.transaction(.deferred) {
            (Int(try connection.scalar("PRAGMA \(Store.mergeSource).user_version")?.int64 ?? 0),
             try connection.scalar("SELECT count(*) FROM \(Store.mergeSource).sqlite_schema")?.int64 ?? 0)
        }
        if version == 0 { throw tables > 0 ? StoreError.notAnAttrDBStore(path: source) : StoreError.missing(path: source) }
        if version > Migration.latestVersion {
            throw StoreError.newerSchema(path: source, found: version, supported: Migration.latestVersion)
        }
        if version < Migration.latestVersion {
            throw StoreError.needsUpgrade(path: source, found: version, supported: Migration.latestVersion)
        }
    }
}

/// One source's merge, inside the store's write transaction.
private struct MergeSession {
    let store: Store
    let source: String
    let replace: Bool
    var connection: Connection { store.connection }
    let src = Store.mergeSource

    /// What a source matrix is beside the store's: new, the same bytes, or different bytes.
    enum State: Int64 { case new = 0, identical = 1, differs = 2 }

    func run(only name: String?, into summary: inout MergeSummary) throws {
        try makeMaps()
        let runs = try sourceRuns(only: name)
        for (sourceID, runName) in runs {
            summary.runs.append(runName)
            if try mergeRun(sourceID: sourceID, name: runName) { summary.runsAdded += 1 }
        }
        try mergeMetrics()
        try mergeCheckpoints()
        try mergeMatrices(into: &summary)
        for table in MergeTable.all { summary.rows += try merge(table) }
    }

    // MARK: - Maps

    /// The temporary tables mapping the source's ids to the store's, emptied for this source.
    private func makeMaps() throws {
        for parent in ["run", "scan", "metric", "checkpoint"] {
            try connection.execute("CREATE TEMP TABLE IF NOT EXISTS merge_\(parent) (src INTEGER PRIMARY KEY, dest INTEGER NOT NULL)")
            try connection.execute("DELETE FROM temp.merge_\(parent)")
        }
        // Each source matrix: the store's ids of its scan, metric and checkpoint, the store's matrix
        // (when there is one, and after the copy), and its ``State``.
        try connection.execute("""
            CREATE TEMP TABLE IF NOT EXISTS merge_attribution (src INTEGER PRIMARY KEY, dest INTEGER, scan INTEGER NOT NULL,
                metric INTEGER NOT NULL, checkpoint INTEGER NOT NULL, state INTEGER NOT NULL)
            """)
        try connection.execute("DELETE FROM temp.merge_attribution")
    }

    // MARK: - Runs, components, scans

    private func sourceRuns(only name: String?) throws -> [(Int64, String)] {
        var runs: [(Int64, String)] = []
        try connection.forEachRow("SELECT run_id, name FROM \(src).run WHERE ?1 IS NULL OR name = ?1 ORDER BY run_id", [SQLValue(name)]) {
            runs.append(($0.value(at: 0).int64 ?? 0, $0.value(at: 1).string ?? ""))
        }
        if let name, runs.isEmpty {
            var names: [String] = []
            try connection.forEachRow("SELECT name FROM \(src).run ORDER BY name") { names.append($0.value(at: 0).string ?? "") }
            throw StoreError.unknown(what: "run in \(source) named", name: name, suggestions: Suggestions.closest(to: name, in: names))
        }
        return runs
    }

    /// Maps the source run to the store's, adding it (with its components) when the store has none
    /// of that name. Returns true when it was added.
    private func mergeRun(sourceID: Int64, name: String) throws -> Bool {
        var destID = try connection.scalar("SELECT run_id FROM main.run WHERE name = ?", [.text(name)])?.int64
        if let id = destID, let difference = try componentDifference(sourceID: sourceID, destID: id) {
            guard replace else {
                throw conflict("run '\(name)': the components differ from the store's: \(difference); use another run name, or --replace to take the run whole from the source")
            }
            try connection.run("DELETE FROM main.run WHERE run_id = ?", [.integer(id)])
            destID = nil
        }
        let added = destID == nil
        let id: Int64
        if let destID {
            id = destID
            try updateRun(sourceID: sourceID, destID: id, name: name)
        } else {
            try copyRows("run", where: "run_id = ?", [.integer(sourceID)], excluding: ["run_id"])
            id = connection.lastInsertRowID
            try copyRows("component", where: "run_id = ?", [.integer(sourceID)], excluding: ["component_id", "run_id"],
                         setting: ["run_id": .integer(id)], order: "position")
        }
        try connection.run("INSERT INTO temp.merge_run (src, dest) VALUES (?, ?)", [.integer(sourceID), .integer(id)])
        try mergeScans(sourceRun: sourceID, destRun: id, runName: name)
        return added
    }

    /// How the source run's components differ from the store's run's, nil when they do not.
    private func componentDifference(sourceID: Int64, destID: Int64) throws -> String? {
        let counts = try connection.scalar("SELECT (SELECT count(*) FROM \(src).component WHERE run_id = ?) || ' ' || (SELECT count(*) FROM main.component WHERE run_id = ?)",
                                           [.integer(sourceID), .integer(destID)])?.string ?? ""
        let parts = counts.split(separator: " ")
        if parts.count == 2, parts[0] != parts[1] { return "the source has \(parts[0]) components, the store \(parts[1])" }
        let statement = try connection.cachedStatement("""
            SELECT s.position, s.label, d.label FROM \(src).component s
            LEFT JOIN main.component d ON d.run_id = ?2 AND d.position = s.position
            WHERE s.run_id = ?1 AND (d.component_id IS NULL OR d.label IS NOT s.label OR d.layer IS NOT s.layer
                                     OR d.kind IS NOT s.kind OR d.head_or_neuron IS NOT s.head_or_neuron)
            ORDER BY s.position LIMIT 1
            """)
        try statement.bind([.integer(sourceID), .integer(destID)])
        guard try statement.step() else { return nil }
        return "at position \(statement.value(at: 0).int64 ?? 0) the source has '\(statement.value(at: 1).string ?? "")', the store '\(statement.value(at: 2).string ?? "")' (or a different layer, kind or index)"
    }

    /// A run both stores have: a model that differs is a conflict unless `replace`; what the store
    /// lacks (model, task, a config) is filled from the source, and with `replace` the source's
    /// win. The run stays complete only when both are: a part of it still incomplete somewhere
    /// means checkpoints may be missing. The earlier creation time is kept.
    private func updateRun(sourceID: Int64, destID: Int64, name: String) throws {
        // A run has one precision (its matrices' width): not even --replace mixes two in one run.
        let precisions = try connection.cachedStatement("SELECT s.precision, d.precision FROM \(src).run s, main.run d WHERE s.run_id = ? AND d.run_id = ?")
        try precisions.bind([.integer(sourceID), .integer(destID)])
        if try precisions.step(), let theirs = precisions.value(at: 0).string, let ours = precisions.value(at: 1).string, theirs != ours {
            throw conflict("run '\(name)': the store keeps it in \(ours), the source in \(theirs); a run has one precision")
        }
        let statement = try connection.cachedStatement("SELECT s.model, d.model FROM \(src).run s, main.run d WHERE s.run_id = ? AND d.run_id = ?")
        try statement.bind([.integer(sourceID), .integer(destID)])
        if try statement.step(), let theirs = statement.value(at: 0).string, let ours = statement.value(at: 1).string, theirs != ours, !replace {
            throw conflict("run '\(name)': the store has model '\(ours)', the source '\(theirs)'; use --replace to take the source's")
        }
        let fill = replace
            ? "model = coalesce(s.model, d.model), task = coalesce(s.task, d.task), config = CASE WHEN s.config = '{}' THEN d.config ELSE s.config END"
            : "model = coalesce(d.model, s.model), task = coalesce(d.task, s.task), config = CASE WHEN d.config = '{}' THEN s.config ELSE d.config END"
        try connection.run("""
            UPDATE main.run AS d SET \(fill),
                status = CASE WHEN d.status = 'complete' AND s.status = 'complete' THEN 'complete' ELSE 'incomplete' END,
                created_at = min(d.created_at, s.created_at)
            FROM (SELECT * FROM \(src).run WHERE run_id = ?) AS s WHERE d.run_id = ?
            """, [.integer(sourceID), .integer(destID)])
    }

    /// Maps each scan of the source run to the store's of the same name, adding missing ones with
    /// their grid; a scan whose grid differs is a conflict, or with `replace` is taken whole from
    /// the source (the store's matrices of it go with its old grid).
    private func mergeScans(sourceRun: Int64, destRun: Int64, runName: String) throws {
        var scans: [(Int64, String)] = []
        try connection.forEachRow("SELECT scan_id, name FROM \(src).scan WHERE run_id = ? ORDER BY scan_id", [.integer(sourceRun)]) {
            scans.append(($0.value(at: 0).int64 ?? 0, $0.value(at: 1).string ?? ""))
        }
        for (sourceID, name) in scans {
            var destID = try connection.scalar("SELECT scan_id FROM main.scan WHERE run_id = ? AND name = ?", [.integer(destRun), .text(name)])?.int64
            if let id = destID, try gridsDiffer(sourceScan: sourceID, destScan: id) {
                guard replace else {
                    throw conflict("scan '\(name)' of run '\(runName)': the coefficient grid differs from the store's; use --replace to take the scan whole from the source")
                }
                try connection.run("DELETE FROM main.scan WHERE scan_id = ?", [.integer(id)])
                destID = nil
            }
            if destID == nil {
                try copyRows("scan", where: "scan_id = ?", [.integer(sourceID)], excluding: ["scan_id", "run_id"], setting: ["run_id": .integer(destRun)])
                let id = connection.lastInsertRowID
                try copyRows("coefficient", where: "scan_id = ?", [.integer(sourceID)], excluding: ["scan_id"], setting: ["scan_id": .integer(id)], order: "position")
                destID = id
            }
            try connection.run("INSERT INTO temp.merge_scan (src, dest) VALUES (?, ?)", [.integer(sourceID), .integer(destID ?? 0)])
        }
    }

    private func gridsDiffer(sourceScan: Int64, destScan: Int64) throws -> Bool {
        let differs = try connection.scalar("""
            SELECT (SELECT count(*) FROM \(src).coefficient WHERE scan_id = ?1) <> (SELECT count(*) FROM main.coefficient WHERE scan_id = ?2)
                OR EXISTS (SELECT 1 FROM \(src).coefficient s LEFT JOIN main.coefficient d ON d.scan_id = ?2 AND d.position = s.position
                           WHERE s.scan_id = ?1 AND d.value IS NOT s.value)
            """, [.integer(sourceScan), .integer(destScan)])
        return differs?.int64 == 1
    }

    // MARK: - Metrics and checkpoints

    /// Maps the metrics the merged matrices use by name, adding those the store lacks; a
    /// description the store lacks is taken from the source.
    private func mergeMetrics() throws {
        let used = "SELECT metric_id FROM \(src).attribution WHERE scan_id IN (SELECT src FROM temp.merge_scan)"
        try copyRows("metric", where: "metric_id IN (\(used)) AND name NOT IN (SELECT name FROM main.metric)", [], excluding: ["metric_id"], order: "metric_id")
        try connection.run("INSERT INTO temp.merge_metric (src, dest) SELECT s.metric_id, d.metric_id FROM \(src).metric s JOIN main.metric d ON d.name = s.name WHERE s.metric_id IN (\(used))")
        try connection.run("""
            UPDATE main.metric AS d SET description = s.description FROM \(src).metric AS s
            WHERE d.description IS NULL AND s.description IS NOT NULL AND s.name = d.name AND s.metric_id IN (SELECT src FROM temp.merge_metric)
            """)
    }

    /// Adds the checkpoints (by step) the store's runs lack and maps every source checkpoint.
    private func mergeCheckpoints() throws {
        try copyRows("checkpoint", from: "\(src).checkpoint s JOIN temp.merge_run m ON m.src = s.run_id",
                     where: "NOT EXISTS (SELECT 1 FROM main.checkpoint d WHERE d.run_id = m.dest AND d.step = s.step)",
                     excluding: ["checkpoint_id", "run_id"], setting: ["run_id": "m.dest"], order: "s.run_id, s.step")
        try connection.run("""
            INSERT INTO temp.merge_checkpoint (src, dest) SELECT s.checkpoint_id, d.checkpoint_id FROM \(src).checkpoint s
            JOIN temp.merge_run m ON m.src = s.run_id JOIN main.checkpoint d ON d.run_id = m.dest AND d.step = s.step
            """)
        try connection.run("""
            UPDATE main.checkpoint AS d SET tokens_seen = s.tokens_seen FROM \(src).checkpoint AS s JOIN temp.merge_checkpoint m ON m.src = s.checkpoint_id
            WHERE d.checkpoint_id = m.dest AND d.tokens_seen IS NULL AND s.tokens_seen IS NOT NULL
            """)
    }

    // MARK: - Matrices

    /// Classifies every source matrix against the store's (checksums first, then bytes), refuses
    /// differing ones unless `replace`, then copies them as stored, verifying each one's checksum
    /// and length as it goes.
    private func mergeMatrices(into summary: inout MergeSummary) throws {
        try connection.run("""
            INSERT INTO temp.merge_attribution (src, dest, scan, metric, checkpoint, state)
            SELECT s.attribution_id, d.attribution_id, ms.dest, mm.dest, mc.dest,
                   CASE WHEN d.attribution_id IS NULL THEN \(State.new.rawValue)
                        WHEN d.checksum = s.checksum AND d.n_components = s.n_components AND d.n_coefficients = s.n_coefficients
                             AND d.matrix = s.matrix THEN \(State.identical.rawValue)
                        ELSE \(State.differs.rawValue) END
            FROM \(src).attribution s
            JOIN temp.merge_scan ms ON ms.src = s.scan_id
            JOIN temp.merge_metric mm ON mm.src = s.metric_id
            JOIN temp.merge_checkpoint mc ON mc.src = s.checkpoint_id
            LEFT JOIN main.attribution d ON d.scan_id = ms.dest AND d.metric_id = mm.dest AND d.checkpoint_id = mc.dest
            """)
        if !replace, let differing = try firstMatrix(where: "m.state = \(State.differs.rawValue)") {
            throw conflict("\(differing): the values differ from the store's; use --replace to take the source's")
        }
        try connection.run("DELETE FROM main.attribution WHERE attribution_id IN (SELECT dest FROM temp.merge_attribution WHERE state = \(State.differs.rawValue))")
        try copyMatrices()
        try connection.run("""
            UPDATE temp.merge_attribution AS m SET dest = d.attribution_id FROM main.attribution AS d
            WHERE m.state <> \(State.identical.rawValue) AND d.scan_id = m.scan AND d.metric_id = m.metric AND d.checkpoint_id = m.checkpoint
            """)
        try connection.forEachRow("""
            SELECT m.state, count(*), coalesce(sum(s.n_components * s.n_coefficients), 0) FROM temp.merge_attribution m
            JOIN \(src).attribution s ON s.attribution_id = m.src GROUP BY m.state
            """) { row in
            let count = Int(row.value(at: 1).int64 ?? 0), values = Int(row.value(at: 2).int64 ?? 0)
            switch State(rawValue: row.value(at: 0).int64 ?? -1) {
            case .new: summary.added += count; summary.valuesCopied += values
            case .identical: summary.identical += count
            case .differs: summary.replaced += count; summary.valuesCopied += values
            case nil: break
            }
        }
    }

    /// Copies the matrices to add or replace, in the source's order, each checked as it is copied:
    /// read once from the source into one buffer, hashed against the checksum stored with it, then
    /// written straight into the pages of a `zeroblob` reserved by its row (as ingest writes them).
    /// Copied by the row's SQL instead, a 4 MB matrix was copied three more times in memory: into
    /// the checking function's result, into the new record, into its pages. A damaged one fails the
    /// merge before the source's transaction commits, so damaged bytes never stay in the store.
    private func copyMatrices() throws {
        // A value is 4 bytes, or 2 in a run kept in f16 or bf16.
        let width = "(CASE (SELECT r.precision FROM \(src).scan sc JOIN \(src).run r USING (run_id) WHERE sc.scan_id = s.scan_id) WHEN 'f32' THEN 4 ELSE 2 END)"
        let pairs = "temp.merge_attribution m CROSS JOIN \(src).attribution s ON s.attribution_id = m.src"
        var matrices: [(id: Int64, checksum: Int64, length: Int, expected: Int)] = []
        // length() of a blob column reads its record's header, not the blob.
        try connection.forEachRow("""
            SELECT m.src, s.checksum, length(s.matrix), \(width) * s.n_components * s.n_coefficients FROM \(pairs)
            WHERE m.state <> \(State.identical.rawValue) ORDER BY m.src
            """) { matrices.append(($0.int64(at: 0), $0.int64(at: 1), $0.int(at: 2), $0.int(at: 3))) }
        let insert = try connection.prepare(copyRowsSQL("attribution", from: pairs, where: "m.src = ?",
                                                        excluding: ["attribution_id", "scan_id", "metric_id", "checkpoint_id"],
                                                        setting: ["scan_id": "m.scan", "metric_id": "m.metric", "checkpoint_id": "m.checkpoint",
                                                                  "matrix": "zeroblob(length(s.matrix))"]))
        var buffer = [UInt8]()
        var reader: BlobHandle?, writer: BlobHandle?
        // No blob handle may stay open across the commit.
        defer { reader = nil; writer = nil }
        for matrix in matrices {
            if buffer.count < matrix.length { buffer = [UInt8](repeating: 0, count: matrix.length) }
            let hash: Int64? = try buffer.withUnsafeMutableBytes { raw in
                guard matrix.length == matrix.expected else { return nil }
                let bytes = UnsafeMutableRawBufferPointer(rebasing: raw[0..<matrix.length])
                if let reader { try reader.reopen(rowid: matrix.id) } else {
                    reader = try BlobHandle(connection: connection, database: Store.mergeSource, table: "attribution", column: "matrix", rowid: matrix.id)
                }
                try reader?.read(into: bytes, at: 0)
                return XXHash64.storedValue(UnsafeRawBufferPointer(bytes))
            }
            guard let hash, hash == matrix.checksum else {
                let name = try firstMatrix(where: "m.src = \(matrix.id)") ?? "a matrix"
                let found = hash.map { "its bytes hash to \(String(UInt64(bitPattern: $0), radix: 16))" }
                    ?? "it holds \(matrix.length) bytes where its shape takes \(matrix.expected)"
                throw StoreError.corrupt(path: source, detail: "the matrix of \(name) does not match the checksum stored with it (\(found)); nothing was merged from this source")
            }
            try insert.bind([.integer(matrix.id)])
            try insert.step()
            try insert.reset()
            let rowid = connection.lastInsertRowID
            if let writer { try writer.reopen(rowid: rowid) } else {
                writer = try BlobHandle(connection: connection, table: "attribution", column: "matrix", rowid: rowid, writable: true)
            }
            try buffer.withUnsafeBytes { try writer?.write(UnsafeRawBufferPointer(rebasing: $0[0..<matrix.length]), at: 0) }
        }
    }

    /// The first source matrix matching `condition` (over `m`, the merge's row, and `s`, the source's
    /// matrix), named "run R, scan S, metric M, checkpoint step N".
    private func firstMatrix(where condition: String) throws -> String? {
        let statement = try connection.cachedStatement("""
            SELECT r.name, sc.name, me.name, c.step FROM temp.merge_attribution m
            JOIN \(src).attribution s ON s.attribution_id = m.src JOIN \(src).scan sc ON sc.scan_id = s.scan_id
            JOIN \(src).run r ON r.run_id = sc.run_id JOIN \(src).metric me ON me.metric_id = s.metric_id
            JOIN \(src).checkpoint c ON c.checkpoint_id = s.checkpoint_id
            WHERE \(condition) ORDER BY m.src LIMIT 1
            """)
        guard try statement.step() else { return nil }
        let text = { (i: Int32) in statement.value(at: i).string ?? "" }
        return "run '\(text(0))', scan '\(text(1))', metric '\(text(2))', checkpoint step \(statement.value(at: 3).int64 ?? 0)"
    }

    // MARK: - Tags, statistics, norms

    /// Copies the rows of `table` whose parent was merged: rows the store lacks are added; a row
    /// under the same key with other values is a conflict, or with `replace` the source's wins.
    /// Returns the rows written.
    private func merge(_ table: MergeTable) throws -> Int {
        let parent = table.parent
        let valueColumns = try commonColumns(table.name).filter { $0 != parent.column && $0 != table.rowID && !table.key.contains($0) }
        let sameKey = (["d.\(quoted(parent.column)) = m.dest"] + table.key.map { "d.\(quoted($0)) = s.\(quoted($0))" }).joined(separator: " AND ")
        let differs = valueColumns.isEmpty ? "0" : valueColumns.map { "d.\(quoted($0)) IS NOT s.\(quoted($0))" }.joined(separator: " OR ")
        let joined = "\(src).\(table.name) s JOIN \(parent.map) m ON m.src = s.\(quoted(parent.column))"
        let conflicting = "SELECT 1 FROM \(joined) JOIN main.\(table.name) d ON \(sameKey) WHERE \(differs)"
        var written = 0
        if try connection.scalar("SELECT EXISTS (\(conflicting))")?.int64 == 1 {
            let keyText = table.key.map { "'\($0)=' || s.\(quoted($0))" }.joined(separator: " || ', ' || ")
            let example = try connection.scalar("SELECT \(keyText) FROM \(joined) JOIN main.\(table.name) d ON \(sameKey) WHERE \(differs) LIMIT 1")?.string ?? ""
            guard replace else {
                throw conflict("table \(table.name): the row (\(example)) of a merged \(parent.rawValue) differs from the store's; use --replace to take the source's")
            }
            try connection.run("""
                DELETE FROM main.\(table.name) AS d WHERE EXISTS (SELECT 1 FROM \(joined) WHERE \(sameKey) AND (\(differs)))
                """)
        }
        let excluded = Set([parent.column] + (table.rowID.map { [$0] } ?? []))
        var missing = "NOT EXISTS (SELECT 1 FROM main.\(table.name) d WHERE \(sameKey))"
        if parent == .attribution {
            // A matrix copied just now is new to the store, or replaced one whose rows went with it (ON DELETE
            // CASCADE): its rows are copied without looking for them. Looking reads the table being written,
            // and SQLite then stages every selected row in a temporary file before inserting any: the summaries,
            // 0.43 bytes a value, were written and read back once more that way.
            try copyRows(table.name, from: joined, where: "m.state <> \(State.identical.rawValue)", excluding: excluded,
                         setting: [parent.column: "m.dest"])
            written += connection.changes
            missing = "m.state = \(State.identical.rawValue) AND " + missing
        }
        try copyRows(table.name, from: joined, where: missing, excluding: excluded, setting: [parent.column: "m.dest"])
        written += connection.changes
        return written
    }

    // MARK: - Copying by column name

    /// The columns `table` has in both stores, in the store's order.
    private func commonColumns(_ table: String) throws -> [String] {
        var theirs: Set<String> = []
        try connection.forEachRow("SELECT name FROM pragma_table_info(?, ?)", [.text(table), .text(src)]) { theirs.insert($0.value(at: 0).string ?? "") }
        var columns: [String] = []
        try connection.forEachRow("SELECT name FROM pragma_table_info(?, 'main')", [.text(table)]) {
            if let name = $0.value(at: 0).string, theirs.contains(name) { columns.append(name) }
        }
        return columns
    }

    /// `INSERT INTO main.<table> (…) SELECT … FROM <from> WHERE <condition>`: every column both
    /// stores have except `excluding`, plus `setting` (column → SQL expression over the rows of
    /// `from`, whose source table is `s`).
    private func copyRows(_ table: String, from: String? = nil, where condition: String, _ arguments: [SQLValue] = [],
                          excluding: Set<String>, setting: [String: String] = [:], order: String? = nil) throws {
        try connection.run(try copyRowsSQL(table, from: from, where: condition, excluding: excluding, setting: setting, order: order), arguments)
    }

    /// The `INSERT … SELECT` of ``copyRows(_:from:where:_:excluding:setting:order:)``.
    private func copyRowsSQL(_ table: String, from: String? = nil, where condition: String, excluding: Set<String>,
                             setting: [String: String] = [:], order: String? = nil) throws -> String {
        let copied = try commonColumns(table).filter { !excluding.contains($0) && setting[$0] == nil }
        let set = setting.sorted { $0.key < $1.key }
        let columns = set.map { quoted($0.key) } + copied.map(quoted)
        let values = set.map(\.value) + copied.map { "s.\(quoted($0))" }
        return "INSERT INTO main.\(table) (\(columns.joined(separator: ", "))) SELECT \(values.joined(separator: ", ")) FROM \(from ?? "\(src).\(table) s") WHERE \(condition)"
            + (order.map { " ORDER BY \($0)" } ?? "")
    }

    /// ``copyRows(_:from:where:_:excluding:setting:order:)`` with bound values for `setting`.
    private func copyRows(_ table: String, where condition: String, _ arguments: [SQLValue], excluding: Set<String>,
                          setting: [String: SQLValue], order: String? = nil) throws {
        let set = setting.sorted { $0.key < $1.key }
        try copyRows(table, where: condition, set.map(\.value) + arguments, excluding: excluding,
                     setting: Dictionary(uniqueKeysWithValues: set.map { ($0.key, "?") }), order: order)
    }

    private func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    private func conflict(_ message: String) -> IngestError {
        IngestError(file: source, message: message, kind: .conflict)
    }
}
