/// Reads one statistic's per-component sums of stored matrices (`attribution_summary.components`),
/// one matrix at a time, into caller-owned memory: a query over the whole coefficient grid reads 8
/// bytes per component (4 for a 16-bit run's) instead of 2 or 4 per value.
final class SummaryReader {
    private let find: Statement
    private let statistic: SummaryStatistic
    /// The run's: a blob of another length is not read (``SummaryEncoding``).
    private let encoding: SummaryEncoding
    private var blob: BlobHandle?
    private let connection: Connection

    init(connection: Connection, statistic: SummaryStatistic, encoding: SummaryEncoding) throws {
        self.connection = connection
        self.statistic = statistic
        self.encoding = encoding
        find = try connection.prepare("SELECT summary_id FROM attribution_summary WHERE attribution_id = ? AND statistic = ?")
    }

    /// The component sums of the matrix into `out` (one Double a component); false when the matrix
    /// has no summary of the right length for its run's encoding (a grid too short to keep them, or a damaged store: the
    /// caller then reads the values).
    func componentSums(attributionID: Int64, into out: UnsafeMutableBufferPointer<Double>) throws -> Bool {
        try find.bind([.integer(attributionID), .text(statistic.rawValue)])
        let summaryID: Int64? = try find.step() ? find.int64(at: 0) : nil
        try find.reset()
        guard let summaryID else { return false }
        // Incremental blob I/O reads the bytes straight into `out`, with no record of them built first.
        let handle: BlobHandle
        if let blob {
            try blob.reopen(rowid: summaryID)
            handle = blob
        } else {
            handle = try BlobHandle(connection: connection, table: "attribution_summary", column: "components", rowid: summaryID)
            blob = handle
        }
        guard handle.count == out.count * encoding.width else { return false }
        try encoding.read(handle, from: 0, into: out)
        return true
    }
}

/// Reads one statistic's totals of stored matrices (`summary_totals`, schema 6): a few hundred bytes
/// a matrix that answer capacity by layer or kind, and concentration, over the whole grid.
final class TotalsReader {
    private let find: Statement
    private let statistic: SummaryStatistic

    init(connection: Connection, statistic: SummaryStatistic) throws {
        self.statistic = statistic
        find = try connection.prepare("SELECT n_layers, sums, entropy, gini, largest FROM summary_totals WHERE attribution_id = ? AND statistic = ?")
    }

    /// The matrix's total over every component (the first of `sums`) alone, with no arrays made;
    /// nil when it keeps no totals or the row is damaged.
    func total(attributionID: Int64) throws -> Double? {
        try find.bind([.integer(attributionID), .text(statistic.rawValue)])
        defer { try? find.reset() }
        guard try find.step() else { return nil }
        return find.withBytes(at: 1) { $0.count >= 8 ? SummaryEncoding.float64.element($0, 0) : nil }
    }

    /// The matrix's totals; nil when it keeps none (a grid too short) or the row does not decode.
    func totals(attributionID: Int64) throws -> SummaryTotals? {
        try find.bind([.integer(attributionID), .text(statistic.rawValue)])
        defer { try? find.reset() }
        guard try find.step() else { return nil }
        return SummaryTotals(row: find, layerColumn: 0)
    }
}

extension Store {
    /// A reader of one statistic's totals on this store's connection.
    func totalsReader(_ statistic: SummaryStatistic) throws -> TotalsReader {
        try TotalsReader(connection: connection, statistic: statistic)
    }

    /// A reader of one statistic's summaries of a run of `precision` on this store's connection.
    func summaryReader(_ statistic: SummaryStatistic, precision: Precision) throws -> SummaryReader {
        try SummaryReader(connection: connection, statistic: statistic, encoding: SummaryEncoding(precision))
    }

    /// Another read connection to the same file, for a second thread: nil for an in-memory store,
    /// or while this connection is inside a transaction (the other would not read the same snapshot).
    func secondReader() -> Store? {
        guard path != ":memory:", !connection.isInTransaction else { return nil }
        return try? Store(path: path, access: .read, busyTimeout: busyTimeout, vfs: vfs)
    }
}
