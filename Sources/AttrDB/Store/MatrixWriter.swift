import Foundation

/// Writes one (scan, metric)'s checkpoint matrices: finds or adds each checkpoint row, compares
/// with a matrix already stored, and writes new matrices straight into their pages.
///
/// Its statements are prepared once, for the whole ingest: this is the hot path.
final class MatrixWriter {
    /// A matrix already stored for the checkpoint.
    struct Stored {
        var attributionID: Int64
        /// Whether its bytes equal the input's.
        var identical: Bool
        /// Its bytes, kept only when they differ (for the conflict message).
        var bytes: [UInt8]
    }

    private let store: Store
    private var connection: Connection { store.connection }
    private let runID: Int64
    private let scanID: Int64
    private let metricID: Int64
    private var checkpointIDs: [Int: (id: Int64, isNew: Bool)] = [:]
    private let findCheckpoint: Statement
    private let insertCheckpoint: Statement
    private let findAttribution: Statement
    private let insertAttribution: Statement
    private let updateAttribution: Statement
    private let writeSummary: SummaryRows.Statements
    /// One blob handle moved from matrix to matrix (``BlobHandle/reopen(rowid:)``).
    private var blob: BlobHandle?

    init(store: Store, runID: Int64, scanID: Int64, metricID: Int64) throws {
        self.store = store
        self.runID = runID
        self.scanID = scanID
        self.metricID = metricID
        let connection = store.connection
        findCheckpoint = try connection.prepare("SELECT checkpoint_id FROM checkpoint WHERE run_id = ? AND step = ?")
        insertCheckpoint = try connection.prepare("INSERT INTO checkpoint (run_id, step) VALUES (?, ?)")
        findAttribution = try connection.prepare("SELECT attribution_id, matrix FROM attribution WHERE scan_id = ? AND metric_id = ? AND checkpoint_id = ?")
        insertAttribution = try connection.prepare("INSERT INTO attribution (scan_id, metric_id, checkpoint_id, n_components, n_coefficients, checksum, matrix) VALUES (?, ?, ?, ?, ?, ?, ?)")
        updateAttribution = try connection.prepare("UPDATE attribution SET checksum = ?, matrix = ? WHERE attribution_id = ?")
        writeSummary = try SummaryRows.Statements(connection)
    }

    /// The id of the run's checkpoint at `step`, added when missing; `isNew` when this call added it.
    func checkpointID(step: Int) throws -> (id: Int64, isNew: Bool) {
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

    /// Whether the run has no checkpoint row at `step`, stored or added by this writer.
    func isUnseen(step: Int) throws -> Bool {
        if checkpointIDs[step] != nil { return false }
        try findCheckpoint.bind([.integer(runID), .integer(Int64(step))])
        defer { try? findCheckpoint.reset() }
        return try !findCheckpoint.step()
    }

    /// The matrix stored for the checkpoint, compared with `bytes`; nil when there is none.
    func stored(checkpointID: Int64, comparingTo bytes: UnsafeRawBufferPointer) throws -> Stored? {
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
            return Stored(attributionID: id, identical: identical, bytes: identical ? [] : Array(stored))
        }
    }

    /// Adds the checkpoint's matrix, and its summaries when its grid keeps them.
    func insert(checkpointID: Int64, components: Int, coefficients: Int, checksum: Int64, bytes: UnsafeRawBufferPointer,
                summary: MatrixSummary?, layout: SummaryLayout) throws {
        try insertAttribution.bind([.integer(scanID), .integer(metricID), .integer(checkpointID),
                                    .integer(Int64(components)), .integer(Int64(coefficients)), .integer(checksum), .null])
        // Reserve the matrix in the file, then write it into its pages: no record of the
        // matrix's size is ever built in memory (the matrix ends the record, so SQLite can).
        try insertAttribution.bindZeroBlob(count: bytes.count, at: 7)
        try insertAttribution.step()
        let attributionID = connection.lastInsertRowID
        try writable(rowid: attributionID).write(bytes, at: 0)
        if let summary { try SummaryRows.write(summary, layout: layout, attributionID: attributionID, with: writeSummary) }
    }

    /// Replaces a stored matrix's bytes, checksum and summaries.
    func replace(attributionID: Int64, checksum: Int64, bytes: UnsafeRawBufferPointer, summary: MatrixSummary?, layout: SummaryLayout) throws {
        try updateAttribution.withBorrowedBlob(bytes, at: 2) {
            try updateAttribution.bind(checksum, at: 1)
            try updateAttribution.bind(attributionID, at: 3)
            try updateAttribution.step()
        }
        if let summary { try SummaryRows.write(summary, layout: layout, attributionID: attributionID, with: writeSummary) }
    }

    /// Forgets which checkpoints this writer added: once committed they are stored ones, so a later
    /// matrix for the same step (a stream's next frame) is compared with what is stored.
    func committed() {
        for (step, known) in checkpointIDs where known.isNew { checkpointIDs[step] = (known.id, false) }
    }

    /// Closes the blob handle: none may stay open across a commit.
    func close() {
        blob = nil
    }

    private func writable(rowid: Int64) throws -> BlobHandle {
        if let blob {
            try blob.reopen(rowid: rowid)
            return blob
        }
        let opened = try store.openMatrix(attributionID: rowid, writable: true)
        blob = opened
        return opened
    }
}
