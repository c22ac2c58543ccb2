import Foundation

/// One (run, scan, metric) of a store, resolved: its components, coefficient grid and stored
/// checkpoints, and the means to read their packed matrices.
///
/// ```swift
/// let selection = try ScanSelection(store: store, run: "modadd")
/// var matrix = [Float](repeating: 0, count: selection.valuesPerCheckpoint)
/// try selection.readMatrix(checkpoint: 0, into: &matrix)
/// ```
public struct ScanSelection {
    /// A stored matrix: what the index on (scan, metric, checkpoint) holds. Its checksum and
    /// length are read when the matrix itself is (``MatrixReader``); a query answered from the
    /// summaries does not read the matrix, and `attrdb check` is what finds a damaged one.
    public struct StoredCheckpoint: Equatable, Sendable {
        public var step: Int
        public var attributionID: Int64
    }

    public let store: Store
    public let run: String
    public let scan: String
    public let metric: String
    public let runID: Int64
    public let scanID: Int64
    public let metricID: Int64
    /// How many components, in which layers and of which kinds: what a whole-grid query needs,
    /// read without the component rows.
    public let layers: ComponentLayers
    /// The component rows, read on first use and kept (by every copy ``on(_:)`` makes): a query
    /// answered from the summaries over every component prints no label, and at 737 280
    /// components reading them took 0.30 s.
    private let rows: ComponentRows
    public let coefficients: [Double]
    /// Ascending by step.
    public let checkpoints: [StoredCheckpoint]
    /// How the run's matrices are packed; ``MatrixReader`` decodes them to float32.
    public let precision: Precision

    public var valuesPerCheckpoint: Int { layers.count * coefficients.count }

    /// In position order: the row order of every matrix.
    public var components: [Component] {
        get throws {
            try rows.load {
                let read = try store.components(runID: runID, run: run)
                // Read after the layers, maybe in another transaction: a run another process removed
                // meanwhile has no rows left, and rows with gaps in their positions are damaged.
                guard read.count == layers.count else {
                    if read.isEmpty { throw StoreError.unknownRun(name: run, suggestions: []) }
                    throw StoreError.corrupt(path: store.path, detail: "run '\(Escape.terminal(run))' has \(read.count) component rows, and positions up to \(layers.count - 1)")
                }
                return read
            }
        }
    }

    /// Resolves names; a missing scan or metric defaults to the only one there is (or `default`).
    public init(store: Store, run: String, scan: String? = nil, metric: String? = nil) throws {
        self.store = store
        runID = try store.runID(named: run)
        self.run = run
        let scans = try store.scans(runID: runID)
        let chosenScan = try ScanSelection.choose(scan, from: scans.map(\.name), what: "scan", in: "run '\(run)'", preferred: Scan.defaultName)
        scanID = scans.first { $0.name == chosenScan }?.id ?? 0
        self.scan = chosenScan
        let metrics = try store.metrics(scanID: scanID)
        let chosenMetric = try ScanSelection.choose(metric, from: metrics.map(\.name), what: "metric", in: "run '\(run)', scan '\(chosenScan)'", preferred: nil)
        metricID = metrics.first { $0.name == chosenMetric }?.id ?? 0
        self.metric = chosenMetric
        layers = try store.componentLayers(runID: runID, run: run)
        rows = ComponentRows()
        coefficients = try store.coefficients(scanID: scanID)
        checkpoints = try store.storedMatrices(scanID: scanID, metricID: metricID)
        precision = try store.precision(runID: runID)
    }

    /// The same selection read through another store connection (``ParallelCheckpoints``).
    func on(_ other: Store) -> ScanSelection {
        ScanSelection(store: other, copying: self)
    }

    private init(store: Store, copying s: ScanSelection) {
        self.store = store
        run = s.run; scan = s.scan; metric = s.metric
        runID = s.runID; scanID = s.scanID; metricID = s.metricID
        layers = s.layers; rows = s.rows; coefficients = s.coefficients; checkpoints = s.checkpoints
        precision = s.precision
    }

    static func choose(_ name: String?, from names: [String], what: String, in place: String, preferred: String?) throws -> String {
        if let name {
            guard names.contains(name) else {
                throw StoreError.unknown(what: what, name: name, suggestions: Suggestions.closest(to: name, in: names))
            }
            return name
        }
        if names.count == 1, let only = names.first { return only }
        if let preferred, names.contains(preferred) { return preferred }
        guard !names.isEmpty else {
            throw StoreError.unknown(what: what, name: "(any)", suggestions: [])
        }
        throw StoreError.badInput("\(Escape.terminal(place)) has several \(what)s (\(names.map(Escape.terminal).joined(separator: ", "))): choose one with --\(what)")
    }

    /// The index of a component by label; an unknown label lists the closest ones.
    public func componentIndex(_ label: String) throws -> Int {
        let components = try components
        if let index = components.firstIndex(where: { $0.label == label }) { return index }
        throw StoreError.unknown(what: "component", name: label, suggestions: Suggestions.closest(to: label, in: components.map(\.label)))
    }

    /// Whether the component rows have been read (the tests check that a whole-grid query reads none).
    var componentRowsRead: Bool { rows.loaded != nil }

    /// The components at `positions` (each below ``ComponentLayers/count``), in that order: each row
    /// found by its position when they are few, all of them read when they are many.
    public func components(at positions: [Int]) throws -> [Component] {
        if rows.loaded == nil && positions.count * 16 < layers.count {
            return try store.components(runID: runID, run: run, at: positions)
        }
        let all = try components
        return positions.map { all[$0] }
    }

    /// A reader of this selection's matrices, to be reused across checkpoints.
    public func matrixReader() throws -> MatrixReader {
        try MatrixReader(selection: self)
    }
}

/// A run's component rows, read once on first use, by whichever copy of a ``ScanSelection`` (one a
/// thread) asks first.
final class ComponentRows: @unchecked Sendable {
    private let lock = NSLock()
    private var rows: [Component]?

    /// The rows if they have been read.
    var loaded: [Component]? { lock.withLock { rows } }

    func load(_ read: () throws -> [Component]) throws -> [Component] {
        try lock.withLock {
            if let rows { return rows }
            let read = try read()
            rows = read
            return read
        }
    }
}

/// Reads packed matrices with SQLite's incremental blob I/O into caller-owned memory, reusing one
/// blob handle across rows: no per-row allocation, and a profile reads only its own bytes.
///
/// The one place stored values become float32: a run stored in f16 or bf16 is read into a 16-bit
/// buffer this reader keeps and decoded from it in one vectorised pass (``MatrixPrecision``), so
/// every analysis and export sees float32 whatever the precision.
public final class MatrixReader {
    private let selection: ScanSelection
    private var blob: BlobHandle?
    /// The stored 16-bit words of the last read, for a 16-bit run; grown on first use.
    private var halves = UnsafeMutableBufferPointer<UInt16>(start: nil, count: 0)

    init(selection: ScanSelection) throws {
        self.selection = selection
    }

    deinit { halves.deallocate() }

    /// The 16-bit buffer with room for `count` values.
    private func halfBuffer(_ count: Int) -> UnsafeMutableBufferPointer<UInt16> {
        if halves.count < count {
            halves.deallocate()
            halves = .allocate(capacity: count)
        }
        return UnsafeMutableBufferPointer(rebasing: halves[0..<count])
    }

    /// Reads `buffer.count` values from value `valueOffset` of the blob on, decoding 16-bit ones;
    /// with `hashing`, returns the checksum of the bytes read (as stored).
    private func read(_ blob: BlobHandle, valueOffset: Int, into buffer: UnsafeMutableBufferPointer<Float>, hashing: Bool) throws -> Int64? {
        let width = selection.precision.bytesPerValue
        guard selection.precision != .f32 else {
            try blob.read(into: UnsafeMutableRawBufferPointer(buffer), at: valueOffset * width)
            return hashing ? XXHash64.storedValue(UnsafeRawBufferPointer(buffer)) : nil
        }
        let stored = halfBuffer(buffer.count)
        try blob.read(into: UnsafeMutableRawBufferPointer(stored), at: valueOffset * width)
        MatrixPrecision.decode(selection.precision, UnsafeBufferPointer(stored), into: buffer)
        return hashing ? XXHash64.storedValue(UnsafeRawBufferPointer(stored)) : nil
    }

    /// The checkpoint's matrix, checked to have its full length: a damaged one gives every reader
    /// this one message, where a read past its end would give SQLite's bare "SQL logic error" and a
    /// read inside it would return part of a damaged matrix as if it were whole.
    private func open(_ checkpoint: Int) throws -> BlobHandle {
        let rowid = selection.checkpoints[checkpoint].attributionID
        let handle: BlobHandle
        if let blob {
            try blob.reopen(rowid: rowid)
            handle = blob
        } else {
            handle = try selection.store.openMatrix(attributionID: rowid)
            blob = handle
        }
        let expected = selection.valuesPerCheckpoint * selection.precision.bytesPerValue
        guard handle.count == expected else {
            throw StoreError.truncatedMatrix(step: selection.checkpoints[checkpoint].step, found: handle.count, expected: expected)
        }
        return handle
    }

    /// Checkpoint `checkpoint` (an index into `selection.checkpoints`), component-major. With
    /// `verifying`, the bytes read must hash to the checksum stored with them: exports use it, so a
    /// damaged matrix never leaves the store as numbers (the hash runs at several GB/s, far beyond
    /// what formatting the values costs); analyses, which must scan at memory speed, do not.
    public func read(checkpoint: Int, into buffer: UnsafeMutableBufferPointer<Float>, verifying: Bool = false) throws {
        precondition(buffer.count == selection.valuesPerCheckpoint)
        let blob = try open(checkpoint)
        guard let found = try read(blob, valueOffset: 0, into: buffer, hashing: verifying) else { return }
        let stored = selection.checkpoints[checkpoint]
        // The checksum lies beside the matrix in its row, whose page the read has just fetched.
        let checksum = try selection.store.matrixChecksum(attributionID: stored.attributionID)
        if found != checksum {
            throw StoreError.corruptMatrix(path: selection.store.path, run: selection.run, scan: selection.scan, metric: selection.metric,
                                           step: stored.step, stored: checksum ?? 0, found: found)
        }
    }

    /// Checkpoint `checkpoint`'s stored 16-bit words, undecoded (a 16-bit run only), in this
    /// reader's own buffer: valid until its next read. A reduction that decodes as it adds
    /// (``ComponentMasses``) reads half the bytes a float32 copy would make it read.
    func readHalves(checkpoint: Int) throws -> UnsafeBufferPointer<UInt16> {
        precondition(selection.precision != .f32, "a float32 run is read with read(checkpoint:into:)")
        let blob = try open(checkpoint)
        let stored = halfBuffer(selection.valuesPerCheckpoint)
        try blob.read(into: UnsafeMutableRawBufferPointer(stored), at: 0)
        return UnsafeBufferPointer(stored)
    }

    /// One component's values over the coefficient grid (`count` coefficients from `first`).
    public func readProfile(checkpoint: Int, component: Int, first: Int = 0, count: Int? = nil, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        let n = count ?? selection.coefficients.count
        precondition(buffer.count == n)
        let blob = try open(checkpoint)
        _ = try read(blob, valueOffset: component * selection.coefficients.count + first, into: buffer, hashing: false)
    }
}
