/// Reads the selected components' masses of one checkpoint at a time into caller-owned memory:
/// from the component sums ingest kept when the selection covers the whole coefficient grid, else
/// by reducing the checkpoint's matrix. ``ComponentMasses`` holds every checkpoint's row this
/// reader gives; turnover streams them, holding two.
final class MassReader {
    /// Positions of the kept components: the row's order.
    let kept: [Int]
    private let scan: ScanSelection
    private let range: Range<Int>
    private let mode: MassMode
    private let summaries: SummaryReader?
    /// When every component is kept from the summaries: the stored totals (``prefetchTotals(of:)``).
    private let totals: TotalsReader?
    /// The stored totals prefetched, by checkpoint.
    private var storedTotals: [Int: Double] = [:]
    /// Every component's sums of the checkpoint last read from its summary.
    private let sums: UnsafeMutableBufferPointer<Double>
    private var reader: MatrixReader?
    private var values: UnsafeMutableBufferPointer<Float>?

    /// A reader through `scan`'s connection (a ``ParallelCheckpoints`` half passes its own).
    /// `fromSummaries` is ``ComponentMasses/fromSummaries(_:summaries:)``'s answer.
    init(_ scan: ScanSelection, selection: ResolvedSelection, mode: MassMode, fromSummaries: Bool) throws {
        self.scan = scan
        kept = selection.components
        range = selection.coefficients
        self.mode = mode
        summaries = fromSummaries ? try scan.store.summaryReader(mode.statistic, precision: scan.precision) : nil
        totals = fromSummaries && selection.keepsEveryComponent ? try scan.store.totalsReader(mode.statistic) : nil
        sums = .allocate(capacity: scan.layers.count)
    }

    deinit {
        sums.deallocate()
        values?.deallocate()
    }

    /// Reads the stored totals of `checkpoints` (the one over every component, which adding a
    /// row's masses in order from 0 gives, schema/0006_summary_totals.sql) for ``read(checkpoint:into:)``
    /// to return instead of a caller adding 8 000 masses one after another. They are read in one
    /// pass before the rows: their rows lie together, and read between the large summaries they
    /// left SQLite's small page cache and were read again, 2.8 pages of 64 KiB a checkpoint instead
    /// of 2. Nothing is read unless every component is kept over the whole grid.
    func prefetchTotals(of checkpoints: some Sequence<Int>) throws {
        guard let totals else { return }
        for checkpoint in checkpoints {
            storedTotals[checkpoint] = try totals.total(attributionID: scan.checkpoints[checkpoint].attributionID)
        }
    }

    /// Whether rows are read from every component's sums, with the stored totals (``prefetchTotals(of:)``).
    var readsStoredTotals: Bool { totals != nil }

    /// The stored total of `checkpoint` that ``prefetchTotals(of:)`` read, if any.
    func storedTotal(of checkpoint: Int) -> Double? { storedTotals[checkpoint] }

    /// The kept components' masses at `checkpoint` (an index into the scan's checkpoints) into
    /// `row`, one a kept component. A matrix without summaries (a grid too short to keep them) is
    /// reduced from its values, the same Doubles. Returns the row's total as ingest stored it when
    /// the row came from every component's sums and ``prefetchTotals(of:)`` read it; else nil.
    @discardableResult
    func read(checkpoint: Int, into row: UnsafeMutableBufferPointer<Double>) throws -> Double? {
        precondition(row.count == kept.count, "a row of \(row.count) masses for \(kept.count) components")
        if let summaries {
            // Every component kept: the sums go straight into the row.
            let into = totals != nil ? row : sums
            if try summaries.componentSums(attributionID: scan.checkpoints[checkpoint].attributionID, into: into) {
                if totals == nil { for (k, p) in kept.enumerated() { row[k] = sums[p] } }
                return storedTotals[checkpoint]
            }
        }
        if reader == nil {
            reader = try scan.matrixReader()
            values = .allocate(capacity: scan.precision == .f32 ? scan.valuesPerCheckpoint : 0)
        }
        guard let reader, let buffer = values else { return nil }
        let n = scan.coefficients.count
        switch scan.precision {
        case .f32:
            try reader.read(checkpoint: checkpoint, into: buffer)
            reduce(UnsafeBufferPointer(buffer), as: Float32Word.self, grid: n, into: row)
        case .f16:
            reduce(try reader.readHalves(checkpoint: checkpoint), as: Float16Word.self, grid: n, into: row)
        case .bf16:
            reduce(try reader.readHalves(checkpoint: checkpoint), as: BFloat16Word.self, grid: n, into: row)
        }
        return nil
    }

    /// Each kept component's mass over the selected range of a matrix of `grid` coefficients a
    /// component, stored as `S` (one pass: a 16-bit word is decoded as it is added).
    private func reduce<S: StoredWord>(_ matrix: UnsafeBufferPointer<S.Word>, as _: S.Type, grid n: Int, into row: UnsafeMutableBufferPointer<Double>) {
        for (k, p) in kept.enumerated() {
            row[k] = ComponentMasses.reduce(UnsafeBufferPointer(rebasing: matrix[(p * n + range.lowerBound)..<(p * n + range.upperBound)]), as: S.self, mode)
        }
    }
}
