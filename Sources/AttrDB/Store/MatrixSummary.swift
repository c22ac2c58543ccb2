/// Which sum an `attribution_summary` row holds (schema/0004_summaries.sql).
public enum SummaryStatistic: String, CaseIterable, Sendable {
    /// Sums of |v|.
    case abs
    /// Sums of v.
    case signed
    /// Sums of v².
    case squared
}

/// Where each component's sums go in the totals: the run's distinct layers in ascending order, each
/// component's index among them and its kind's, and the grid length. One per ingest, shared by the
/// threads that summarise.
struct SummaryLayout: Sendable, Equatable {
    /// Grids shorter than this keep no summaries: the matrix is then at most as large as the 24
    /// bytes of sums per component, and reading it as fast (a plain attribution, one coefficient,
    /// would otherwise grow from ~5 to ~30 bytes a value).
    static let minimumCoefficients = 16

    let coefficients: Int
    /// `layerIndex[p]`: component p's index in `layers`.
    let layerIndex: [Int]
    /// The distinct component layers, ascending: the order of the per-layer totals.
    let layers: [Int]
    /// `kindIndex[p]`: component p's kind's index in `ComponentKind.allCases`, the order of the per-kind totals.
    let kindIndex: [Int]

    /// How the sums are stored: by the run's precision (``SummaryEncoding``).
    private(set) var encoding: SummaryEncoding

    init(layers componentLayers: [Int], kinds: [ComponentKind], coefficients: Int, encoding: SummaryEncoding) {
        precondition(componentLayers.count == kinds.count)
        self.coefficients = coefficients
        self.encoding = encoding
        layers = Array(Set(componentLayers)).sorted()
        let index = Dictionary(uniqueKeysWithValues: layers.enumerated().map { ($1, $0) })
        layerIndex = componentLayers.map { index[$0] ?? 0 }
        kindIndex = kinds.map { ComponentKind.allCases.firstIndex(of: $0) ?? 0 }
    }

    init(components: [Component], coefficients: Int, encoding: SummaryEncoding) {
        self.init(layers: components.map(\.layer), kinds: components.map(\.kind), coefficients: coefficients, encoding: encoding)
    }

    /// The same layout with its sums stored as `encoding` (reading a row written before schema 7).
    func encoded(as encoding: SummaryEncoding) -> SummaryLayout {
        var copy = self
        copy.encoding = encoding
        return copy
    }

    /// Whether matrices of this shape keep summaries.
    var keepsSummaries: Bool { coefficients >= SummaryLayout.minimumCoefficients && !layerIndex.isEmpty }

    var valuesPerMatrix: Int { layerIndex.count * coefficients }
}

/// One matrix's summaries: per component the sums over the whole coefficient grid, their totals
/// (``SummaryTotals``), and per (layer, coefficient) the sums over the layer's components, each for
/// |v|, v and v², in Double from the float32 values exactly as stored, then kept as their layout's
/// ``SummaryEncoding`` stores them (a 16-bit run's rounded to float32).
struct MatrixSummary: Equatable, Sendable {
    /// `components[statistic.index][p]`.
    var components: [[Double]]
    /// `totals[statistic.index]`.
    var totals: [SummaryTotals]
    /// `layers[statistic.index][l * coefficients + j]`: what `capacity --by layer` over a `--coef`
    /// range adds up (``LayerSums``).
    var layers: [[Double]]

    /// Summarises a component-major matrix (`values[p * coefficients + j]`).
    ///
    /// A component's sums are accumulated exactly as ``ComponentMasses`` reduces a profile (four
    /// partial sums, added pairwise at the end), so a query answered from them gives the very same
    /// Double as one that reads the values.
    init(_ values: UnsafeBufferPointer<Float>, layout: SummaryLayout) {
        let n = layout.coefficients
        let count = layout.layerIndex.count
        precondition(values.count == n * count)
        var absSums = [Double](repeating: 0, count: count)
        var signedSums = [Double](repeating: 0, count: count)
        var squaredSums = [Double](repeating: 0, count: count)
        var layerAbs = [Double](repeating: 0, count: layout.layers.count * n)
        var layerSigned = layerAbs
        var layerSquared = layerAbs
        let whole = n & ~3
        layerAbs.withUnsafeMutableBufferPointer { la in
        layerSigned.withUnsafeMutableBufferPointer { ls in
        layerSquared.withUnsafeMutableBufferPointer { lq in
        for p in 0..<count {
            let row = values.baseAddress! + p * n
            var a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
            var q0 = 0.0, q1 = 0.0, q2 = 0.0, q3 = 0.0
            var i = 0
            while i < whole {
                let v0 = Double(row[i]), v1 = Double(row[i + 1]), v2 = Double(row[i + 2]), v3 = Double(row[i + 3])
                a0 += Swift.abs(v0); a1 += Swift.abs(v1); a2 += Swift.abs(v2); a3 += Swift.abs(v3)
                s0 += v0; s1 += v1; s2 += v2; s3 += v3
                q0 += v0 * v0; q1 += v1 * v1; q2 += v2 * v2; q3 += v3 * v3
                i += 4
            }
            while i < n {
                let v = Double(row[i])
                a0 += Swift.abs(v); s0 += v; q0 += v * v
                i += 1
            }
            absSums[p] = (a0 + a1) + (a2 + a3)
            signedSums[p] = (s0 + s1) + (s2 + s3)
            squaredSums[p] = (q0 + q1) + (q2 + q3)
            // Each layer's sums add its components in position order, one coefficient at a time.
            let base = layout.layerIndex[p] * n
            for j in 0..<n {
                let v = Double(row[j])
                la[base + j] += Swift.abs(v)
                ls[base + j] += v
                lq[base + j] += v * v
            }
        }
        }}}
        self.init(components: [absSums, signedSums, squaredSums], layers: [layerAbs, layerSigned, layerSquared], layout: layout)
    }

    /// The summaries of these component sums and per-layer sums (per statistic), first rounded as
    /// the layout's encoding stores them: the totals are computed from the sums as stored (so an
    /// answer from the totals equals one from the component sums exactly), as the migrations
    /// compute those of a store's stored sums.
    init(components: [[Double]], layers: [[Double]], layout: SummaryLayout) {
        let encoding = layout.encoding
        self.components = encoding == .float64 ? components : components.map { $0.map(encoding.stored) }
        self.layers = encoding == .float64 ? layers : layers.map { $0.map(encoding.stored) }
        let components = self.components
        totals = SummaryStatistic.allCases.map { SummaryTotals(components[$0.index], statistic: $0, layout: layout) }
    }

    /// Bitwise equality, so a NaN stored with `--allow-nonfinite` equals itself (``StoreCheck``).
    func sameBits(as other: MatrixSummary) -> Bool {
        components.count == other.components.count
            && zip(components, other.components).allSatisfy { PackedDoubles.sameBits($0, $1) }
            && totals.count == other.totals.count && zip(totals, other.totals).allSatisfy { $0.sameBits(as: $1) }
            && layers.count == other.layers.count && zip(layers, other.layers).allSatisfy { PackedDoubles.sameBits($0, $1) }
    }
}

extension SummaryStatistic {
    /// The statistic's index in ``MatrixSummary``'s arrays.
    var index: Int {
        switch self {
        case .abs: return 0
        case .signed: return 1
        case .squared: return 2
        }
    }
}

/// float64 values as the little-endian bytes of a `summary_totals` blob (always float64), and back.
enum PackedDoubles {
    static func bytes(_ values: [Double]) -> [UInt8] {
        SummaryEncoding.float64.bytes(values)
    }

    /// Decodes `raw` into `out` (which has `raw.count / 8` elements).
    static func decode(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(raw.count == out.count * 8)
        for i in 0..<out.count { out[i] = SummaryEncoding.float64.element(raw, i) }
    }

    /// Whether two arrays hold the same doubles bit for bit (a NaN equals itself).
    static func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    static func decode(_ raw: UnsafeRawBufferPointer) -> [Double] {
        [Double](unsafeUninitializedCapacity: raw.count / 8) { buffer, count in
            decode(UnsafeRawBufferPointer(rebasing: raw[0..<(raw.count / 8 * 8)]), into: buffer)
            count = raw.count / 8
        }
    }
}
