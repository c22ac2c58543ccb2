import Foundation

/// How a value counts toward a component's mass.
public enum MassMode: String, Sendable, CaseIterable {
    /// Sum of |value| (the default: attribution of either sign is capacity used).
    case absolute
    /// Sum of signed values.
    case signed
    /// Sum of squared values.
    case squared

    /// The summary statistic that holds this mass over the whole grid.
    var statistic: SummaryStatistic {
        switch self {
        case .absolute: return .abs
        case .signed: return .signed
        case .squared: return .squared
        }
    }
}

/// Each selected component's mass at each selected checkpoint: the reduction over the selected
/// coefficients that capacity, concentration, turnover and compare all start from.
public struct ComponentMasses: Sendable {
    public let steps: [Int]
    /// The kept components, in run order.
    public let components: [Component]
    /// `masses[checkpoint][component]`, accumulated in Double.
    public let masses: [[Double]]

    /// Each selected checkpoint's masses. Over the whole coefficient grid they come from the sums
    /// ingest kept (schema/0004_summaries.sql: 8 bytes a component instead of 4 a value), equal to
    /// the Double the values give; over a `--coef` range, or for a matrix without summaries, each
    /// checkpoint's matrix is read once and every kept component's slice reduced. Large selections
    /// are read on both cores.
    ///
    /// `ATTRDB_MASSES_FROM=values` in the environment makes every query read the values (the
    /// benchmark's baseline, and the tests' second path).
    public init(_ selection: ResolvedSelection, mode: MassMode = .absolute) throws {
        try self.init(selection, mode: mode, summaries: !ComponentMasses.valuesForced)
    }

    /// `summaries: false` reads the values whatever the selection (the tests' second path).
    init(_ selection: ResolvedSelection, mode: MassMode, summaries: Bool) throws {
        masses = try ComponentMasses.rows(selection, mode: mode, summaries: summaries)
        self.steps = selection.steps
        self.components = try selection.scan.components(at: selection.components)
    }

    /// The masses alone, `[checkpoint][kept component]`, with no component row read: a query that
    /// names only a few components (``Turnover/summary(_:cutoff:)``) reads just theirs.
    static func rows(_ selection: ResolvedSelection, mode: MassMode, summaries: Bool = !valuesForced) throws -> [[Double]] {
        let scan = selection.scan
        let whole = ComponentMasses.fromSummaries(selection, summaries: summaries)
        return try ParallelCheckpoints.map(scan, selection.checkpoints, bytesPerCheckpoint: ComponentMasses.bytesPerCheckpoint(selection, fromSummaries: whole)) { scan, part in
            let reader = try MassReader(scan, selection: selection, mode: mode, fromSummaries: whole)
            return try scan.store.reading {
                try part.map { checkpoint in
                    try [Double](unsafeUninitializedCapacity: reader.kept.count) { row, count in
                        try reader.read(checkpoint: checkpoint, into: row)
                        count = row.count
                    }
                }
            }
        }
    }

    /// Whether the masses of `selection` come from the component sums ingest kept: over the whole
    /// coefficient grid, unless `summaries` is false.
    static func fromSummaries(_ selection: ResolvedSelection, summaries: Bool = !valuesForced) -> Bool {
        summaries && selection.coefficients == 0..<selection.scan.coefficients.count
    }

    /// The bytes one checkpoint's masses read: 8 a component from the summaries, else its matrix.
    static func bytesPerCheckpoint(_ selection: ResolvedSelection, fromSummaries: Bool) -> Int {
        fromSummaries ? selection.scan.layers.count * 8 : selection.scan.valuesPerCheckpoint * 4
    }

    /// Whether `ATTRDB_MASSES_FROM=values` in the environment asks for the values to be read even over the whole grid.
    static let valuesForced = ProcessInfo.processInfo.environment["ATTRDB_MASSES_FROM"] == "values"

    /// The reduction of one profile slice, in Double. Four partial sums let the loop vectorise.
    @inline(__always)
    static func reduce(_ values: UnsafeBufferPointer<Float>, _ mode: MassMode) -> Double {
        reduce(values, as: Float32Word.self, mode)
    }

    /// The reduction of one profile slice stored as `S`, each value decoded to float32 and added in
    /// Double: the same sums in the same order whatever the storage, so a 16-bit run's masses are
    /// the ones its float32 decoding gives.
    @inline(__always)
    static func reduce<S: StoredWord>(_ values: UnsafeBufferPointer<S.Word>, as _: S.Type, _ mode: MassMode) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        let count = values.count, whole = count & ~3
        var i = 0
        switch mode {
        case .absolute:
            while i < whole {
                s0 += Double(abs(S.float(values[i]))); s1 += Double(abs(S.float(values[i + 1])))
                s2 += Double(abs(S.float(values[i + 2]))); s3 += Double(abs(S.float(values[i + 3])))
                i += 4
            }
            while i < count { s0 += Double(abs(S.float(values[i]))); i += 1 }
        case .signed:
            while i < whole {
                s0 += Double(S.float(values[i])); s1 += Double(S.float(values[i + 1])); s2 += Double(S.float(values[i + 2])); s3 += Double(S.float(values[i + 3]))
                i += 4
            }
            while i < count { s0 += Double(S.float(values[i])); i += 1 }
        case .squared:
            while i < whole {
                let a = Double(S.float(values[i])), b = Double(S.float(values[i + 1])), c = Double(S.float(values[i + 2])), d = Double(S.float(values[i + 3]))
                s0 += a * a; s1 += b * b; s2 += c * c; s3 += d * d
                i += 4
            }
            while i < count { let a = Double(S.float(values[i])); s0 += a * a; i += 1 }
        }
        return (s0 + s1) + (s2 + s3)
    }
}
