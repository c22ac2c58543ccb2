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

    /// How the run stores its values: `options.precision`, or the existing run's.
    public let precision: Precision

    let store: Store
    let runID: Int64
    /// The ingest's transaction: begun in `init`, committed by ``commit(status:)``, rolled back by
    /// ``rollback()`` or when the recorder is released before. Between the frames of a stream
    /// (after ``commitFrame(status:checkpoint:)``) there is none: the next write begins one.
    private var transaction: Transaction?
    /// Set by ``commit(status:)`` and ``rollback()``: the recorder takes nothing more.
    private var isFinished = false
    let matrices: MatrixWriter
    /// How a checkpoint is summarised (schema/0004_summaries.sql): the layers of the components, and
    /// the sums' encoding by the run's precision.
    let summaryLayout: SummaryLayout
    private let started = Date()
    var summary: IngestSummary
    private var nonFinite = (count: 0, first: nil as (step: Int, coefficient: Double, component: String)?)
    /// The 16-bit rounding's errors since the last commit, and where a value first overflowed.
    private var rounding = RoundingError()
    private var firstOverflow: (step: Int, coefficient: Double, component: String, value: Float)?
    /// For a 16-bit precision, one checkpoint as stored (its 16-bit words) and as it reads back (float32).
    private let encoded: (stored: UnsafeMutableBufferPointer<UInt16>, rounded: UnsafeMutableBufferPointer<Float>)?
    /// Pages go to the write-ahead log until the commit: that is the file to hand to the kernel.
    /// (Never the database file itself: closing a second descriptor of it would drop the POSIX
    /// locks SQLite holds on it.)
    private lazy var writeback = Writeback(path: store.path + "-wal")
    private var bytesSinceWriteback = 0

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
        let transaction = try store.beginWrite()
        self.transaction = transaction
        do {
            let registration = Registration(store: store, target: target, options: options, source: source)
            (runID, precision) = try registration.run()
            summaryLayout = SummaryLayout(components: components, coefficients: coefficients.count, encoding: SummaryEncoding(precision))
            try registration.components(components, runID: runID)
            let scanID = try registration.scan(coefficients: coefficients, runID: runID)
            matrices = try MatrixWriter(store: store, runID: runID, scanID: scanID, metricID: try store.metricID(named: target.metric))
        } catch {
            store.abandon(transaction)
            throw Recorder.translate(error, store: store)
        }
        let count = components.count * coefficients.count
        encoded = precision == .f32 ? nil : (.allocate(capacity: count), .allocate(capacity: count))
    }

    deinit {
        encoded?.stored.deallocate()
        encoded?.rounded.deallocate()
    }

    /// Values one checkpoint takes: components × coefficients.
    public var valuesPerCheckpoint: Int { components.count * coefficients.count }

    /// Adds one checkpoint's values, component-major: `values[p * coefficients.count + j]` is
    /// component `p` at coefficient `j`. An identical stored checkpoint is left alone; a different
    /// one is an error unless `replace`.
    public func append(step: Int, values: UnsafeBufferPointer<Float>) throws {
        try append(step: step, values: values, digest: nil)
    }

    /// The summaries of a checkpoint's values, or nil when its grid keeps none (or the count is
    /// wrong, which ``append(step:values:digest:)`` reports).
    func summarize(_ values: UnsafeBufferPointer<Float>) -> MatrixSummary? {
        Recorder.summarize(values, layout: summaryLayout)
    }

    static func summarize(_ values: UnsafeBufferPointer<Float>, layout: SummaryLayout) -> MatrixSummary? {
        guard layout.keepsSummaries, values.count == layout.valuesPerMatrix else { return nil }
        return MatrixSummary(values, layout: layout)
    }

    /// Adds one checkpoint whose checksum and summaries (`digest`) the caller may have computed
    /// already: ingest does it on the prefetch thread, while the values are in its cache; nil computes
    /// them here. With a 16-bit precision the values are rounded here, and the checksum and summaries
    /// are of what is stored (a digest passed is not used).
    func append(step: Int, values: UnsafeBufferPointer<Float>, digest: CheckpointDigest?) throws {
        precondition(!isFinished, "append after commit")
        guard values.count == valuesPerCheckpoint else {
            throw IngestError(file: source, message: "checkpoint \(step): expected \(valuesPerCheckpoint) values (\(components.count) components × \(coefficients.count) coefficients), found \(values.count)")
        }
        try guarded {
            // A float32 run's digest is of the values as given; a 16-bit run's is made below, of the rounded ones.
            let digest = precision == .f32 ? digest ?? CheckpointDigest(values, layout: summaryLayout) : nil
            noteNonFinite(digest?.nonFinite ?? Recorder.nonFiniteCount(values), step: step, values: values)
            // What goes to the store: the float32 values as given, or rounded to 16 bits here, before
            // the writer. `storedValues` are the values as stored, as every reader will read them back
            // (for f16/bf16 the decoded rounding, not the input): per-checkpoint sums are made from these.
            let bytes: UnsafeRawBufferPointer, storedChecksum: Int64, storedValues: UnsafeBufferPointer<Float>
            let storedSummary: MatrixSummary?
            if let encoded {
                let error = MatrixPrecision.encode(precision, values, into: encoded.stored, rounded: encoded.rounded)
                noteRounding(error, step: step, values: values)
                bytes = UnsafeRawBufferPointer(encoded.stored)
                storedChecksum = XXHash64.storedValue(bytes)
                storedValues = UnsafeBufferPointer(encoded.rounded)
                storedSummary = summarize(storedValues)
            } else {
                guard let digest else { preconditionFailure("a float32 run always has its digest") }
                (bytes, storedChecksum, storedValues, storedSummary) = (UnsafeRawBufferPointer(values), digest.checksum, values, digest.summary)
            }
            let checkpoint = try matrices.checkpointID(step: step)
            summary.checkpoints += 1
            if !checkpoint.isNew, let existing = try matrices.stored(checkpointID: checkpoint.id, comparingTo: bytes) {
                if existing.identical { summary.unchanged += 1; return }
                guard options.replace else { throw conflict(step: step, stored: existing.bytes, input: storedValues) }
                try matrices.replace(attributionID: existing.attributionID, checksum: storedChecksum, bytes: bytes,
                                     summary: storedSummary, layout: summaryLayout)
                summary.replaced += 1
                return
            }
            try matrices.insert(checkpointID: checkpoint.id, components: components.count, coefficients: coefficients.count,
                                checksum: storedChecksum, bytes: bytes, summary: storedSummary, layout: summaryLayout)
            summary.added += 1
            bytesSinceWriteback += bytes.count
            if bytesSinceWriteback >= 8 << 20 {
                writeback.start(sparing: 1 << 20)
                bytesSinceWriteback = 0
            }
        }
    }

    /// Whether a checkpoint of `step` with `nonFinite` non-finite values (nil: not counted) may join
    /// the open transaction beside what is recorded since the last commit, with nothing about it
    /// refusable at the commit: a float32 run (16-bit rounding can overflow), a step with no
    /// checkpoint row yet (so no conflict and no second row), and no non-finite values in the
    /// transaction unless they are allowed. A stream commits such frames together (CommitBatch.swift).
    func canJoin(checkpoint step: Int, nonFinite: Int?) throws -> Bool {
        guard precision == .f32, let nonFinite, options.allowNonFinite || (nonFinite == 0 && self.nonFinite.count == 0) else { return false }
        return try guarded { try matrices.isUnseen(step: step) }
    }

    /// Adds one checkpoint's values from an array (see ``append(step:values:)-(_,UnsafeBufferPointer<Float>)``).
    public func append(step: Int, values: [Float]) throws {
        try values.withUnsafeBufferPointer { try append(step: step, values: $0) }
    }

    /// Commits the ingest. Non-finite values without `allowNonFinite` fail it here, with their
    /// count and the first position, and nothing is written.
    @discardableResult
    public func commit(status: Run.Status = .complete) throws -> IngestSummary {
        precondition(!isFinished, "commit twice")
        try commitTransaction(status: status, checkpoint: true)
        isFinished = true
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Commits what was recorded so far with `status` and keeps the recorder for more: the next
    /// append or record begins the next transaction on the same run, scan and metric. A stream
    /// commits each frame on its own this way, holding no write lock while it waits for the next,
    /// and one recorder (its prepared statements, its checkpoint ids) serves them all. Non-finite
    /// values recorded since the last commit fail it, as in ``commit(status:)``. `checkpoint`: copy
    /// the write-ahead log back after the commit (see ``JournalPolicy``).
    public func commitFrame(status: Run.Status = .incomplete, checkpoint: Bool = true) throws {
        precondition(!isFinished, "commit after the last commit")
        try commitTransaction(status: status, checkpoint: checkpoint)
        matrices.committed()
        transaction = nil
        summary.seconds = Date().timeIntervalSince(started)
    }

    /// Abandons what was recorded since the last commit, and the recorder with it.
    public func rollback() {
        isFinished = true
        guard let transaction, transaction.isOpen else { return }
        matrices.close()
        store.abandon(transaction)
    }

    private func commitTransaction(status: Run.Status, checkpoint: Bool) throws {
        try guarded {
            if nonFinite.count > 0 && !options.allowNonFinite, let first = nonFinite.first {
                throw IngestError(file: source, message: "\(nonFinite.count) non-finite values (NaN or ±Inf); the first at checkpoint_step \(first.step), coefficient \(first.coefficient), component \(first.component). Nothing was stored; use --allow-nonfinite to store them")
            }
            if rounding.overflowed > 0 && !options.allowNonFinite, let first = firstOverflow {
                throw IngestError(file: source, message: "\(rounding.overflowed) finite values are beyond \(precision.rawValue)'s range (largest \(precision == .f16 ? "65504" : "3.39e38")) and would be stored as ±Inf; the first at checkpoint_step \(first.step), coefficient \(first.coefficient), component \(first.component): \(first.value). Nothing was stored; use --precision f32\(precision == .f16 ? " or bf16" : ""), or --allow-nonfinite to store them as ±Inf")
            }
            if precision != .f32 {
                try store.recordRounding(rounding, runID: runID)
                rounding = RoundingError()
                firstOverflow = nil
            }
            try store.setStatus(status, runID: runID)
            matrices.close()  // no blob handle stays open across the commit
            try store.commit(try openTransaction(), checkpoint: checkpoint)
        }
    }

    // MARK: - Internals

    /// The open transaction; between a stream's frames, a new one.
    private func openTransaction() throws -> Transaction {
        if let transaction, transaction.isOpen { return transaction }
        let begun = try store.beginWrite()
        transaction = begun
        return begun
    }

    /// Runs `body` in the transaction; on error rolls the whole ingest back and rethrows it, translated for people.
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do {
            _ = try openTransaction()
            return try body()
        } catch {
            rollback()
            throw Recorder.translate(error, store: store)
        }
    }

    static func translate(_ error: Error, store: Store) -> Error {
        guard let sqlite = error as? SQLiteError else { return error }
        return store.translate(sqlite)
    }

    /// How many of `values` are NaN or ±Inf.
    static func nonFiniteCount(_ values: UnsafeBufferPointer<Float>) -> Int {
        // Exponent bits all set is NaN or ±Inf; counting bit patterns vectorises.
        var count = 0
        values.withMemoryRebound(to: UInt32.self) { bits in
            for b in bits where b & 0x7F80_0000 == 0x7F80_0000 { count += 1 }
        }
        return count
    }

    /// Adds `count` non-finite values of checkpoint `step`, noting where the first one is.
    private func noteNonFinite(_ count: Int, step: Int, values: UnsafeBufferPointer<Float>) {
        guard count > 0 else { return }
        if nonFinite.first == nil, let index = values.firstIndex(where: { !$0.isFinite }) {
            let (p, j) = index.quotientAndRemainder(dividingBy: coefficients.count)
            nonFinite.first = (step, coefficients[j], components[p].label)
        }
        nonFinite.count += count
    }

    private func noteRounding(_ error: RoundingError, step: Int, values: UnsafeBufferPointer<Float>) {
        if error.overflowed > 0 && firstOverflow == nil {
            // Where the first one is: found again only in a matrix that has one.
            let range: Float = precision == .f16 ? 65520 : Float(bitPattern: 0x7F7F_8000)  // half an ulp past the largest
            if let index = values.firstIndex(where: { $0.isFinite && abs($0) >= range }) {
                let (p, j) = index.quotientAndRemainder(dividingBy: coefficients.count)
                firstOverflow = (step, coefficients[j], components[p].label, values[index])
            }
        }
        rounding = rounding.merged(with: error)
    }

    /// `input`: the values as they would be stored (rounded to the run's precision).
    private func conflict(step: Int, stored: [UInt8], input: UnsafeBufferPointer<Float>) -> IngestError {
        var where_ = ""
        stored.withUnsafeBytes { raw in
            let width = precision.bytesPerValue
            let count = min(raw.count / width, input.count)
            for i in 0..<count {
                let old: Float
                switch precision {
                case .f32: old = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                case .f16: old = Float16Bits.decode(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
                case .bf16: old = BFloat16Bits.decode(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self)))
                }
                if old.bitPattern != input[i].bitPattern {
                    let (p, j) = i.quotientAndRemainder(dividingBy: coefficients.count)
                    where_ = " (first difference: component \(components[p].label), coefficient \(coefficients[j]): stored \(old), input \(input[i]))"
                    break
                }
            }
        }
        return IngestError(file: source, message: "checkpoint \(step) of \(target.run)/\(target.scan)/\(target.metric) is already stored with different values\(where_); use --replace to overwrite", kind: .conflict)
    }
}
