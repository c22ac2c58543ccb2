import Foundation

/// The one write path into a store: opens or creates a run, its components, a scan and a metric,
/// takes checkpoints as arrays, and commits everything in one transaction.
///
/// Every ingest — the command line's and a Swift caller's — goes through a recorder, so one ingest
/// is one transaction: an error, or a recorder released without ``commit(status:)``, leaves the
/// store exactly as it was.
///
/// ```swift
/// let store = try Store(path: "attrdb.sqlite", access: .create)
/// let recorder = try Recorder(store: store, target: IngestTarget(run: "modadd", metric: "logit_diff"),
///                             components: components, coefficients: [-1, 0, 1])
/// try recorder.append(step: 100, values: matrix)   // component-major: [component][coefficient]
/// let summary = try recorder.commit()
/// ```
public final class Recorder {
    public let target: IngestTarget
    public let components: [Component]
    public let coefficients: [Double]
    public let options: IngestOptions
    /// Names the input in error messages.
    public let source: String

    private let store: Store
    private var connection: Connection { store.connection }
    private let runID: Int64
    private let scanID: Int64
    private let metricID: Int64
    private var isOpen = true
    private let started = Date()
    private var checkpointIDs: [Int: (id: Int64, isNew: Bool)] = [:]
    private var summary: IngestSummary
    private var nonFinite = (count: 0, first: nil as (step: Int, coefficient: Double, component: String)?)

    private let findCheckpoint: Statement
    private let insertCheckpoint: Statement
    private let findAttribution: Statement
    private let insertAttribution: Statement
    private let updateAttribution: Statement

    /// Begins the ingest's transaction and resolves (or creates) the run, components, scan and metric.
    public init(store: Store, target: IngestTarget, components: [Component], coefficients: [Double],
                options: IngestOptions = IngestOptions(), source: String = "input") throws {
        self.store = store
        self.target = target
        self.components = components
        self.coefficients = coefficients
        self.options = options
        self.source = source
        summary = IngestSummary(run: target.run, scan: target.scan, metric: target.metric, checkpoints: 0,
                                components: components.count, coefficients: coefficients.count,
                                added: 0, unchanged: 0, replaced: 0, statistics: 0, seconds: 0)
        let connection = store.connection
        try Recorder.translating(store) { try connection.execute("BEGIN IMMEDIATE") }
        do {
            runID = try Recorder.resolveRun(connection, target: target, options: options, source: source)
            try Recorder.resolveComponents(connection, runID: runID, components: components, source: source)
            scanID = try Recorder.resolveScan(connection, runID: runID, target: target, coefficients: coefficients, options: options, source: source)
            metricID = try Recorder.resolveMetric(connection, name: target.metric)
            findCheckpoint = try connection.prepare("SELECT checkpoint_id FROM checkpoint WHERE run_id = ? AND step = ?")
            insertCheckpoint = try connection.prepare("INSERT INTO checkpoint (run_id, step) VALUES (?, ?)")
            findAttribution = try connection.prepare("SELECT attribution_id, matrix FROM attribution WHERE scan_id = ? AND metric_id = ? AND checkpoint_id = ?")
            insertAttribution = try connection.prepare("INSERT INTO attribution (scan_id, metric_id, checkpoint_id, n_components, n_coefficients, checksum, matrix) VALUES (?, ?, ?, ?, ?, ?, ?)")
            updateAttribution = try connection.prepare("UPDATE attribution SET checksum = ?, matrix = ? WHERE attribution_id = ?")
        } catch {
            try? connection.execute("ROLLBACK")
            throw Recorder.translate(error, store: store)
        }
    }

    deinit {
        if isOpen { try? connection.execute("ROLLBACK") }
    }

    /// Values one checkpoint takes: components × coefficients.
    public var valuesPerCheckpoint: Int { components.count * coefficients.count }

    /// Adds one checkpoint's values, component-major: `values[p * coefficients.count + j]` is
    /// component `p` at coefficient `j`. An identical stored checkpoint is left alone; a different
    /// one is an error unless `replace`.
    public func append(step: Int, values: UnsafeBufferPointer<Float>) throws {
        try append(step: step, values: values, checksum: XXHash64.storedValue(UnsafeRawBufferPointer(values)))
    }

    /// Adds one checkpoint whose checksum (``XXHash64/storedValue(_:)`` of its bytes) the caller
    /// computed already: ingest does it on the prefetch thread, while the values are in its cache.
    func append(step: Int, values: UnsafeBufferPointer<Float>, checksum: Int64) throws {
        precondition(isOpen, "append after commit")
        guard values.count == valuesPerCheckpoint else {
            throw IngestError(file: source, message: "checkpoint \(step): expected \(valuesPerCheckpoint) values (\(components.count) components × \(coefficients.count) coefficients), found \(values.count)")
        }
        try guarded {
            countNonFinite(step: step, values: values)
            let checkpoint = try checkpointID(step: step)
            summary.checkpoints += 1
            let bytes = UnsafeRawBufferPointer(values)
            if !checkpoint.isNew, let existing = try storedMatrix(checkpointID: checkpoint.id, comparingTo: bytes) {
                if existing.identical { summary.unchanged += 1; return }
                guard options.replace else { throw conflict(step: step, stored: existing.bytes, input: values) }
                try updateAttribution.withBorrowedBlob(bytes, at: 2) {
                    try updateAttribution.bind(checksum, at: 1)
                    try updateAttribution.bind(existing.id, at: 3)
                    try updateAttribution.step()
                }
                summary.replaced += 1
                return
            }
            try insertAttribution.bind([.integer(scanID), .integer(metricID), .integer(checkpoint.id),
                                        .integer(Int64(components.count)), .integer(Int64(coefficients.count)),
                                        .integer(checksum), .null])
            // Reserve the matrix in the file, then write it into its pages: no record of the
            // matrix's size is ever built in memory (the matrix ends the record, so SQLite can).
            try insertAttribution.bindZeroBlob(count: bytes.count, at: 7)
            try insertAttribution.step()
            try matrixWriter(rowid: connection.lastInsertRowID).write(bytes, at: 0)
            summary.added += 1
            bytesSinceWriteback += bytes.count
            if bytesSinceWriteback >= 8 << 20 {
                writeback.start()
                bytesSinceWriteback = 0
            }
        }
    }

    /// Adds one checkpoint's values from an array (see ``append(step:values:)-(_,UnsafeBufferPointer<Float>)``).
    public func append(step: Int, values: [Float]) throws {
        try values.withUnsafeBufferPointer { try append(step: step, values: $0) }
    }

    /// Records per-checkpoint scalars such as losses and accuracies.
    public func record(stats: [CheckpointStat]) throws {
        try guarded {
            let sql = "INSERT INTO checkpoint_stat (checkpoint_id, name, value) VALUES (?, ?, ?)"
            for stat in stats {
                let id = try checkpointID(step: stat.step).id
                try upsert(sql, key: [.integer(id), .text(stat.name)], value: SQLValue(stat.value),
                           existing: "SELECT value FROM checkpoint_stat WHERE checkpoint_id = ? AND name = ?",
                           update: "UPDATE checkpoint_stat SET value = ? WHERE checkpoint_id = ? AND name = ?",
                           what: "\(stat.name) at checkpoint \(stat.step)")
            }
        }
    }

    /// Records mean residual-stream norms.
    public func record(residNorms: [ResidNorm]) throws {
        try guarded {
            for norm in residNorms {
                let id = try checkpointID(step: norm.step).id
                try upsert("INSERT INTO resid_norm (checkpoint_id, layer, hook, norm) VALUES (?, ?, ?, ?)",
                           key: [.integer(id), .integer(Int64(norm.layer)), .text(norm.hook)], value: .real(norm.norm),
                           existing: "SELECT norm FROM resid_norm WHERE checkpoint_id = ? AND layer = ? AND hook = ?",
                           update: "UPDATE resid_norm SET norm = ? WHERE checkpoint_id = ? AND layer = ? AND hook = ?",
                           what: "residual norm at layer \(norm.layer) \(norm.hook), checkpoint \(norm.step)")
            }
        }
    }

    /// Records W_OV Frobenius norms per head.
    public func record(wovNorms: [WOVNorm]) throws {
        try guarded {
            for norm in wovNorms {
                let id = try checkpointID(step: norm.step).id
                try upsert("INSERT INTO wov_norm (checkpoint_id, layer, head, frobenius_norm) VALUES (?, ?, ?, ?)",
                           key: [.integer(id), .integer(Int64(norm.layer)), .integer(Int64(norm.head))], value: .real(norm.frobeniusNorm),
                           existing: "SELECT frobenius_norm FROM wov_norm WHERE checkpoint_id = ? AND layer = ? AND head = ?",
                           update: "UPDATE wov_norm SET frobenius_norm = ? WHERE checkpoint_id = ? AND layer = ? AND head = ?",
                           what: "W_OV norm of L\(norm.layer)H\(norm.head), checkpoint \(norm.step)")
            }
        }
    }

    /// Commits the ingest. Non-finite values without `allowNonFinite` fail it here, with their
    /// count and the first position, and nothing is written.
    @discardableResult
    public func commit(status: Run.Status = .complete) throws -> IngestSummary {
        precondition(isOpen, "commit twice")
        try guarded {
            if nonFinite.count > 0 && !options.allowNonFinite, let first = nonFinite.first {
                throw IngestError(file: source, message: "\(nonFinite.count) non-finite values (NaN or ±Inf); the first at checkpoint_step \(first.step), coefficient \(first.coefficient), component \(first.component). Nothing was stored; use --allow-nonfinite to store them")
            }
            try connection.run("UPDATE run SET status = ? WHERE run_id = ? AND status <> ?", [.text(status.rawValue), .integer(runID), .text(status.rawValue)])
            writer = nil  // no blob handle stays open across the commit
            try connection.execute("COMMIT")
        }
        isOpen = false
        JournalPolicy.checkpoint(connection)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Abandons the ingest: nothing it did is kept.
    public func rollback() {
        guard isOpen else { return }
        writer = nil
        try? connection.execute("ROLLBACK")
        // After an I/O error (a full disk) SQLite may leave the journal hot for the next reader to
        // play back; reading now plays it back at once, so the file is as it was when we return.
        _ = try? connection.scalar("SELECT count(*) FROM sqlite_schema")
        isOpen = false
    }

    // MARK: - Internals

    /// Runs `body`; on error rolls the whole ingest back and rethrows it, translated for people.
    private func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            rollback()
            throw Recorder.translate(error, store: store)
        }
    }

    private static func translating<T>(_ store: Store, _ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw translate(error, store: store) }
    }

    static func translate(_ error: Error, store: Store) -> Error {
        guard let sqlite = error as? SQLiteError else { return error }
        return store.translate(sqlite)
    }

    private func countNonFinite(step: Int, values: UnsafeBufferPointer<Float>) {
        // Exponent bits all set is NaN or ±Inf; counting bit patterns vectorises.
        var count = 0
        values.withMemoryRebound(to: UInt32.self) { bits in
            for b in bits where b & 0x7F80_0000 == 0x7F80_0000 { count += 1 }
        }
        guard count > 0 else { return }
        if nonFinite.first == nil, let index = values.firstIndex(where: { !$0.isFinite }) {
            let (p, j) = index.quotientAndRemainder(dividingBy: coefficients.count)
            nonFinite.first = (step, coefficients[j], components[p].label)
        }
        nonFinite.count += count
    }

    private var writer: BlobHandle?
    /// Pages go to the write-ahead log until the commit: that is the file to hand to the kernel.
    /// (Never the database file itself: closing a second descriptor of it would drop the POSIX
    /// locks SQLite holds on it.)
    private lazy var writeback = Writeback(path: store.path + "-wal")
    private var bytesSinceWriteback = 0

    private func matrixWriter(rowid: Int64) throws -> BlobHandle {
        if let writer {
            try writer.reopen(rowid: rowid)
            return writer
        }
        let opened = try BlobHandle(connection: connection, table: "attribution", column: "matrix", rowid: rowid, writable: true)
        writer = opened
        return opened
    }

    private func checkpointID(step: Int) throws -> (id: Int64, isNew: Bool) {
        if let known = checkpointIDs[step] { return known }
        try findCheckpoint.bind([.integer(runID), .integer(Int64(step))])
        let found: (Int64, Bool)
        if try findCheckpoint.step() {
            found = (findCheckpoint.int64(at: 0), false)
        } else {
            try insertCheckpoint.bind([.integer(runID), .integer(Int64(step))])
            try insertCheckpoint.step()
            found = (connection.lastInsertRowID, true)
        }
        try findCheckpoint.reset()
        checkpointIDs[step] = found
        return found
    }

    private func storedMatrix(checkpointID: Int64, comparingTo bytes: UnsafeRawBufferPointer) throws -> (id: Int64, identical: Bool, bytes: [UInt8])? {
        try findAttribution.bind([.integer(scanID), .integer(metricID), .integer(checkpointID)])
        defer { try? findAttribution.reset() }
        guard try findAttribution.step() else { return nil }
        let id = findAttribution.int64(at: 0)
        return findAttribution.withBytes(at: 1) { stored in
            let identical: Bool
            if let a = stored.baseAddress, let b = bytes.baseAddress, stored.count == bytes.count {
                identical = memcmp(a, b, bytes.count) == 0
            } else {
                identical = stored.count == bytes.count
            }
            return (id, identical, identical ? [] : Array(stored))
        }
    }

    private func conflict(step: Int, stored: [UInt8], input: UnsafeBufferPointer<Float>) -> IngestError {
        var where_ = ""
        stored.withUnsafeBytes { raw in
            let count = min(raw.count / 4, input.count)
            for i in 0..<count {
                let old = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                if old.bitPattern != input[i].bitPattern {
                    let (p, j) = i.quotientAndRemainder(dividingBy: coefficients.count)
                    where_ = " (first difference: component \(components[p].label), coefficient \(coefficients[j]): stored \(old), input \(input[i]))"
                    break
                }
            }
        }
        return IngestError(file: source, message: "checkpoint \(step) of \(target.run)/\(target.scan)/\(target.metric) is already stored with different values\(where_); use --replace to overwrite", kind: .conflict)
    }

    /// Inserts a statistic; an identical stored one is left alone, a different one replaced or refused.
    private func upsert(_ insert: String, key: [SQLValue], value: SQLValue, existing: String, update: String, what: String) throws {
        if let stored = try connection.scalar(existing, key) {
            if stored == value || (stored.double != nil && stored.double == value.double) { return }
            guard options.replace else {
                throw IngestError(file: source, message: "\(what) is already stored as \(stored.double.map { "\($0)" } ?? "null"), the input says \(value.double.map { "\($0)" } ?? "null"); use --replace to overwrite", kind: .conflict)
            }
            try connection.run(update, [value] + key)
        } else {
            try connection.run(insert, key + [value])
        }
        summary.statistics += 1
    }

    // MARK: Resolving the run, components, scan and metric

    private static func resolveRun(_ connection: Connection, target: IngestTarget, options: IngestOptions, source: String) throws -> Int64 {
        let row = try connection.prepare("SELECT run_id, model, task, config FROM run WHERE name = ?")
        try row.bind([.text(target.run)])
        guard try row.step() else {
            try connection.run("INSERT INTO run (name, model, task, config, created_at, status) VALUES (?, ?, ?, ?, ?, 'incomplete')",
                               [.text(target.run), SQLValue(target.model), SQLValue(target.task), .text(target.config ?? "{}"), .text(Store.now())])
            return connection.lastInsertRowID
        }
        let id = row.int64(at: 0)
        let storedModel = row.optionalString(at: 1)
        if let model = target.model, let storedModel, model != storedModel {
            guard options.replace else {
                throw IngestError(file: source, message: "run '\(target.run)' exists with model '\(storedModel)', the input says '\(model)'; use another run name, or --replace", kind: .conflict)
            }
        }
        var updates: [(String, SQLValue)] = []
        if let model = target.model, model != storedModel { updates.append(("model", .text(model))) }
        if let task = target.task, task != row.optionalString(at: 2) { updates.append(("task", .text(task))) }
        if let config = target.config, config != row.string(at: 3), options.replace || row.string(at: 3) == "{}" { updates.append(("config", .text(config))) }
        for (column, value) in updates {
            try connection.run("UPDATE run SET \(column) = ? WHERE run_id = ?", [value, .integer(id)])
        }
        return id
    }

    private static func resolveComponents(_ connection: Connection, runID: Int64, components: [Component], source: String) throws {
        var stored: [Component] = []
        try connection.forEachRow("SELECT label, layer, kind, head_or_neuron FROM component WHERE run_id = ? ORDER BY position", [.integer(runID)]) { row in
            stored.append(Component(label: row.string(at: 0), layer: row.int(at: 1), kind: ComponentKind(rawValue: row.string(at: 2)) ?? .mlp, index: row.optionalInt(at: 3)))
        }
        if stored.isEmpty {
            let insert = try connection.prepare("INSERT INTO component (run_id, position, label, layer, kind, head_or_neuron) VALUES (?, ?, ?, ?, ?, ?)")
            for (position, component) in components.enumerated() {
                try insert.bind([.integer(runID), .integer(Int64(position)), .text(component.label), .integer(Int64(component.layer)),
                                 .text(component.kind.rawValue), SQLValue(component.index)])
                try insert.step()
            }
            return
        }
        guard stored.map(\.label) != components.map(\.label) else { return }
        let firstDifference = zip(stored, components).enumerated().first { $0.element.0.label != $0.element.1.label }
        let detail = firstDifference.map { "at position \($0.offset) the run has '\($0.element.0.label)', the input '\($0.element.1.label)'" }
            ?? "the run has \(stored.count) components, the input \(components.count)"
        throw IngestError(file: source, message: "the components differ from the run's: \(detail)", kind: .conflict)
    }

    private static func resolveScan(_ connection: Connection, runID: Int64, target: IngestTarget, coefficients: [Double], options: IngestOptions, source: String) throws -> Int64 {
        if let id = try connection.scalar("SELECT scan_id FROM scan WHERE run_id = ? AND name = ?", [.integer(runID), .text(target.scan)])?.int64 {
            var stored: [Double] = []
            try connection.forEachRow("SELECT value FROM coefficient WHERE scan_id = ? ORDER BY position", [.integer(id)]) { stored.append($0.double(at: 0)) }
            if stored == coefficients { return id }
            guard options.replace else {
                throw IngestError(file: source, message: "scan '\(target.scan)' of run '\(target.run)' has \(stored.count) coefficients \(stored.first ?? 0)…\(stored.last ?? 0); the input has \(coefficients.count) coefficients \(coefficients.first ?? 0)…\(coefficients.last ?? 0); use another --scan name, or --replace to replace the whole scan", kind: .conflict)
            }
            try connection.run("DELETE FROM scan WHERE scan_id = ?", [.integer(id)])
        }
        try connection.run("INSERT INTO scan (run_id, name, hook, n_coefficients) VALUES (?, ?, ?, ?)",
                           [.integer(runID), .text(target.scan), SQLValue(target.scanHook), .integer(Int64(coefficients.count))])
        let id = connection.lastInsertRowID
        let insert = try connection.prepare("INSERT INTO coefficient (scan_id, position, value) VALUES (?, ?, ?)")
        for (position, value) in coefficients.enumerated() {
            try insert.bind([.integer(id), .integer(Int64(position)), .real(value)])
            try insert.step()
        }
        return id
    }

    private static func resolveMetric(_ connection: Connection, name: String) throws -> Int64 {
        if let id = try connection.scalar("SELECT metric_id FROM metric WHERE name = ?", [.text(name)])?.int64 { return id }
        try connection.run("INSERT INTO metric (name) VALUES (?)", [.text(name)])
        return connection.lastInsertRowID
    }
}
