/// Each selected checkpoint's mass per layer over the selected coefficients, added up from the
/// per-(layer, coefficient) sums ingest kept (`attribution_summary.layers`, schema/0004_summaries.sql):
/// `capacity --by layer` over a `--coef` range reads `8 · n_layers · n_coefficients` bytes a checkpoint
/// instead of every value. It answers a selection whose components are whole layers (every
/// component, or a filter such as `--layer 3` that keeps each of its layers whole) and whose every
/// matrix keeps the sums; any other component filter needs the values, and the caller reads them.
///
/// The masses equal the value scan's to about 1e-15 relative, not bit for bit: the values are added
/// coefficient by coefficient over a layer's components here, component by component over the
/// coefficients there. `ATTRDB_MASSES_FROM=values` in the environment turns this off, as it does
/// the other summaries.
struct LayerRangeSums {
    let steps: [Int]
    /// The selected components' layers (whole ones) and kinds: ``ComponentLayers/layers`` is the
    /// order of each row of ``masses``.
    let layers: ComponentLayers
    /// `masses[checkpoint][layer index]`: the sum over the layer's components and the selected coefficients.
    let masses: [[Double]]

    /// Nil when the sums do not answer `selection` (see the type's comment).
    init?(_ selection: ResolvedSelection, statistic: SummaryStatistic) throws {
        let scan = selection.scan
        guard !ComponentMasses.valuesForced, !selection.coefficients.isEmpty else { return nil }
        // The stored rows hold every layer of the run, ascending.
        let stored = scan.layers.layers
        let layers: ComponentLayers
        if selection.keepsEveryComponent {
            layers = scan.layers
        } else {
            let all = try scan.components
            layers = ComponentLayers(selection.components.map { all[$0] })
            var sizes: [Int: Int] = [:]
            for component in all { sizes[component.layer, default: 0] += 1 }
            guard layers.layers.reduce(0, { $0 + (sizes[$1] ?? 0) }) == layers.count else { return nil }
        }
        let rows = layers.layers.compactMap { stored.firstIndex(of: $0) }
        let bytes = stored.count * scan.coefficients.count * SummaryEncoding(scan.precision).width
        let read = try ParallelCheckpoints.map(scan, selection.checkpoints, bytesPerCheckpoint: bytes) { part, checkpoints in
            [try LayerRangeSums.read(part, checkpoints, storedLayers: stored.count, rows: rows, statistic: statistic, range: selection.coefficients)]
        }
        // A checkpoint without its sums (or with sums of another shape) sends the whole query to the values.
        guard read.allSatisfy({ $0 != nil }) else { return nil }
        steps = selection.steps
        self.layers = layers
        masses = read.flatMap { $0 ?? [] }
    }

    /// The masses of the layers at `rows` (of the `storedLayers` a row holds) at the checkpoints in
    /// `part`, through `scan`'s connection; nil when one of them has no per-layer sums of the
    /// expected shape.
    private static func read(_ scan: ScanSelection, _ part: ArraySlice<Int>, storedLayers: Int, rows: [Int],
                             statistic: SummaryStatistic, range: Range<Int>) throws -> [[Double]]? {
        let n = scan.coefficients.count
        let reader = try LayerSumsReader(connection: scan.store.connection, statistic: statistic, encoding: SummaryEncoding(scan.precision))
        // Only the span from the first selected layer's first selected coefficient to the last one's last.
        let first = rows.first ?? 0, last = rows.last ?? 0
        let span = (last - first) * n + range.count
        let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: span)
        defer { sums.deallocate() }
        var out: [[Double]] = []
        out.reserveCapacity(part.count)
        for checkpoint in part {
            guard try reader.read(attributionID: scan.checkpoints[checkpoint].attributionID, layers: storedLayers,
                                  coefficients: n, from: first * n + range.lowerBound, into: sums) else { return nil }
            out.append(rows.map { l in
                let start = (l - first) * n
                return LayerRangeSums.add(UnsafeBufferPointer(rebasing: sums[start..<(start + range.count)]))
            })
        }
        return out
    }

    /// The sum of `values`, four partial sums added pairwise (as ``ComponentMasses`` reduces a profile).
    private static func add(_ values: UnsafeBufferPointer<Double>) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        let count = values.count, whole = count & ~3
        var i = 0
        while i < whole {
            s0 += values[i]; s1 += values[i + 1]; s2 += values[i + 2]; s3 += values[i + 3]
            i += 4
        }
        while i < count { s0 += values[i]; i += 1 }
        return (s0 + s1) + (s2 + s3)
    }

    /// Each group's layer indexes: nil when a group is not made of whole layers (a component; a kind
    /// that shares a layer with another kind), which only the component masses can answer.
    func layerIndexes(of groups: [Capacity.Group]) -> [[Int]]? {
        var out: [[Int]] = []
        for group in groups {
            switch group.key {
            case .layer(let layer):
                guard let i = layers.layers.firstIndex(of: layer) else { return nil }
                out.append([i])
            case .kind(let kind):
                // Whole layers only when no layer with this kind has another kind beside it.
                let own = layers.layers.indices.filter { layers.kindsOfLayer[$0].contains(kind) }
                guard own.allSatisfy({ layers.kindsOfLayer[$0] == [kind] }) else { return nil }
                out.append(own)
            case .component:
                return nil
            }
        }
        return out
    }

    /// The mass of the layers at `indexes` at checkpoint `c` (of ``steps``).
    func mass(_ indexes: [Int], at c: Int) -> Double {
        indexes.reduce(0.0) { $0 + masses[c][$1] }
    }

    /// The total over the selected layers at checkpoint `c`: the share's denominator.
    func total(at c: Int) -> Double {
        masses[c].reduce(0, +)
    }
}

/// Reads one statistic's per-(layer, coefficient) sums of stored matrices, one matrix at a time,
/// into caller-owned memory with incremental blob I/O (`layers` comes before `components` in the
/// row, so no overflow page of the component sums is walked).
final class LayerSumsReader {
    private let find: Statement
    private let statistic: SummaryStatistic
    /// The run's: a blob of another length is not read (``SummaryEncoding``).
    private let encoding: SummaryEncoding
    private let connection: Connection
    private var blob: BlobHandle?

    init(connection: Connection, statistic: SummaryStatistic, encoding: SummaryEncoding) throws {
        self.connection = connection
        self.statistic = statistic
        self.encoding = encoding
        find = try connection.prepare("SELECT summary_id, n_layers, n_coefficients FROM attribution_summary WHERE attribution_id = ? AND statistic = ?")
    }

    /// `out.count` sums from position `first` of the layer-major `layers` × `coefficients` sums on;
    /// false when the matrix keeps no sums, or sums of another shape than `layers` × `coefficients`.
    func read(attributionID: Int64, layers: Int, coefficients: Int, from first: Int,
              into out: UnsafeMutableBufferPointer<Double>) throws -> Bool {
        try find.bind([.integer(attributionID), .text(statistic.rawValue)])
        let row: (id: Int64, layers: Int, coefficients: Int)? = try find.step() ? (find.int64(at: 0), find.int(at: 1), find.int(at: 2)) : nil
        try find.reset()
        guard let row, row.layers == layers, row.coefficients == coefficients,
              first >= 0, first + out.count <= layers * coefficients else { return false }
        let handle: BlobHandle
        if let blob {
            try blob.reopen(rowid: row.id)
            handle = blob
        } else {
            handle = try BlobHandle(connection: connection, table: "attribution_summary", column: "layers", rowid: row.id)
            blob = handle
        }
        guard handle.count == layers * coefficients * encoding.width else { return false }
        try encoding.read(handle, from: first, into: out)
        return true
    }
}
