/// How a run's summary sums (`attribution_summary.components` and `.layers`) are stored: the one
/// place that decides their element width, so writers and readers cannot disagree
/// (schema/0007_summary_width.sql).
///
/// Every sum is accumulated in Double. A float32 run stores them as float64, keeping their
/// 1e-12 agreement with a scan of the values. A 16-bit run stores them rounded to the nearest
/// float32: a relative error of at most 2⁻²⁴, four orders of magnitude below the rounding its
/// values already carry (f16 2⁻¹¹, bf16 2⁻⁸), for half the bytes. The width follows the run's
/// recorded precision, never the blob's length: a length that disagrees is a damaged row.
enum SummaryEncoding: Sendable, Equatable {
    /// Little-endian float64, 8 bytes a sum: a float32 run's.
    case float64
    /// Little-endian float32, 4 bytes a sum: an f16 or bf16 run's.
    case float32

    /// The encoding of a run of this precision.
    init(_ precision: Precision) {
        self = precision == .f32 ? .float64 : .float32
    }

    /// The statistics whose component and per-(layer, coefficient) sums a run keeps in
    /// `attribution_summary`; `summary_totals` keeps all three for every run. A 16-bit run keeps only
    /// `abs`, the mass every query uses by default: its values take 2 bytes a value, and all three
    /// statistics' float32 sums (8 000 components, and 81 layers × 128 coefficients) added 0.22 bytes
    /// where the whole budget is 2.1 (issue 13 §2). A 16-bit run's `--signed` and `--squared` masses
    /// per component, or over a `--coef` range, are read from its values instead.
    var statistics: [SummaryStatistic] { self == .float64 ? SummaryStatistic.allCases : [.abs] }

    /// Bytes one stored sum takes.
    var width: Int { self == .float64 ? 8 : 4 }

    /// The element type's name, for messages and schema/README.md.
    var name: String { self == .float64 ? "float64" : "float32" }

    /// `sum` as it reads back once stored: itself, or rounded to the nearest float32. Ingest keeps
    /// this value (and the totals add these), so what a query reads back is what was computed.
    @inline(__always)
    func stored(_ sum: Double) -> Double {
        self == .float64 ? sum : Double(Float(sum))
    }

    /// `sums` as the little-endian bytes of a summary blob.
    func bytes(_ sums: [Double]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: sums.count * width)
        out.withUnsafeMutableBytes { raw in
            switch self {
            case .float64:
                for (i, v) in sums.enumerated() { raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self) }
            case .float32:
                for (i, v) in sums.enumerated() { raw.storeBytes(of: Float(v).bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
            }
        }
        return out
    }

    /// The sums of a blob of `raw.count / width` of them; nil when its length is not a whole number
    /// of sums of this width.
    func decode(_ raw: UnsafeRawBufferPointer) -> [Double]? {
        guard raw.count % width == 0 else { return nil }
        return [Double](unsafeUninitializedCapacity: raw.count / width) { buffer, count in
            for i in 0..<buffer.count { buffer[i] = element(raw, i) }
            count = buffer.count
        }
    }

    /// Sum number `i` of the little-endian bytes `raw`.
    @inline(__always)
    func element(_ raw: UnsafeRawBufferPointer, _ i: Int) -> Double {
        switch self {
        case .float64: return Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)))
        case .float32: return Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))))
        }
    }

    /// Reads `out.count` sums from sum number `first` of an open summary blob straight into `out`
    /// (no copy of the bytes is made first: a float32 blob is read into `out`'s own memory and
    /// widened in place). The caller has checked the blob's length.
    func read(_ handle: BlobHandle, from first: Int, into out: UnsafeMutableBufferPointer<Double>) throws {
        guard out.count > 0 else { return }
        try handle.read(into: UnsafeMutableRawBufferPointer(start: out.baseAddress, count: out.count * width), at: first * width)
        let raw = UnsafeRawBufferPointer(start: out.baseAddress, count: out.count * width)
        #if _endian(little)
        if self == .float64 { return }
        #endif
        // Backwards: Double i (bytes 8i..<8i+8) overwrites only floats at 2i and 2i + 1, already widened.
        var i = out.count - 1
        while i >= 0 {
            out[i] = element(raw, i)
            i -= 1
        }
    }
}
