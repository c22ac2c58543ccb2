/// A matrix's largest component masses with their positions, largest first (schema/0009_ranked_masses.sql):
/// the components at or above a turnover cut-off are a prefix of them whenever the cut-off's
/// threshold mass lies above the last one kept, so turnover reads 12 bytes for each of at most
/// ``kept`` components instead of 8 for each of 737 280.
struct RankedMasses: Equatable, Sendable {
    /// How many of a matrix's largest masses are kept: every component of a run of up to 1 024,
    /// and at 1 000 components above a cut-off of 0.001 (the most its shares allow) room to spare.
    static let kept = 1024
    static let entryBytes = 12

    /// The matrix's component count.
    var componentCount: Int
    /// Positions, in the order of ``masses``.
    var positions: [Int32]
    /// Descending; equal masses in ascending position.
    var masses: [Double]

    /// The `kept` largest of `sums` (one per component, in position order), given them sorted
    /// ascending too (``SummaryTotals`` sorts them for concentration): the entries are those at or
    /// above the kept-th largest, found in one pass, and only they are sorted. Nil when a sum is not
    /// finite (a matrix stored with `--allow-nonfinite`: its shares are not compared with a cut-off
    /// by a threshold mass) or there is no component.
    init?(_ sums: [Double], ascending: [Double], kept: Int = RankedMasses.kept) {
        guard !sums.isEmpty, ascending.count == sums.count, kept >= 1, sums.allSatisfy(\.isFinite) else { return nil }
        let bound = ascending[max(0, ascending.count - kept)]
        var order = sums.indices.filter { sums[$0] >= bound }
        order.sort { sums[$0] != sums[$1] ? sums[$0] > sums[$1] : $0 < $1 }
        order.removeLast(max(0, order.count - kept))
        self.init(componentCount: sums.count, positions: order.map { Int32($0) }, masses: order.map { sums[$0] })
    }

    init(componentCount: Int, positions: [Int32], masses: [Double]) {
        self.componentCount = componentCount
        self.positions = positions
        self.masses = masses
    }

    /// Whether every component whose mass is at or above `threshold` is among these: all are
    /// kept, or the smallest kept mass is below it.
    func holdsEveryMass(atOrAbove threshold: Double) -> Bool {
        positions.count == componentCount || (masses.last.map { $0 < threshold } ?? false)
    }

    /// The stored bytes: per entry a little-endian int32 position and float64 mass.
    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(positions.count * Self.entryBytes)
        for (position, mass) in zip(positions, masses) {
            withUnsafeBytes(of: position.littleEndian) { out.append(contentsOf: $0) }
            withUnsafeBytes(of: mass.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
        return out
    }

    /// Decodes stored bytes; nil when they are not whole entries, more than `componentCount` of
    /// them, a position outside the matrix, or not in the order they are kept in.
    init?(componentCount: Int, bytes: UnsafeRawBufferPointer) {
        let count = bytes.count / Self.entryBytes
        guard componentCount >= 1, bytes.count % Self.entryBytes == 0, count <= componentCount, count >= 1 else { return nil }
        var positions: [Int32] = [], masses: [Double] = []
        positions.reserveCapacity(count)
        masses.reserveCapacity(count)
        for i in 0..<count {
            let position = Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: i * Self.entryBytes, as: Int32.self))
            let mass = Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i * Self.entryBytes + 4, as: UInt64.self)))
            guard position >= 0, Int(position) < componentCount, mass.isFinite else { return nil }
            if let last = masses.last, let lastPosition = positions.last {
                guard last > mass || (last == mass && lastPosition < position) else { return nil }
            }
            positions.append(position)
            masses.append(mass)
        }
        self.init(componentCount: componentCount, positions: positions, masses: masses)
    }
}

/// Reads the ranked masses of stored matrices (`summary_ranked`), one matrix at a time.
final class RankedMassesReader {
    private let find: Statement

    init(connection: Connection, statistic: SummaryStatistic) throws {
        find = try connection.prepare("SELECT n_components, ranked FROM summary_ranked WHERE attribution_id = ? AND statistic = '\(statistic.rawValue)'")
    }

    /// The matrix's ranked masses; nil when it keeps none or the row does not decode (`check` names it).
    func read(attributionID: Int64) throws -> RankedMasses? {
        try find.bind([.integer(attributionID)])
        defer { try? find.reset() }
        guard try find.step() else { return nil }
        let count = find.int(at: 0)
        return find.withBytes(at: 1) { RankedMasses(componentCount: count, bytes: $0) }
    }
}
