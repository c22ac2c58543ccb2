/// The running minimum, maximum, null count and NaN count of one column chunk, in the order
/// Parquet defines for the column's type: signed for integers and floating point (NaN left out),
/// unsigned byte-wise for UTF-8 strings.
struct ColumnStatistics {
    /// Bounds longer than this are left out, as Arrow's writer does: a reader gains little from a
    /// 4 KiB bound and every footer would carry it.
    static let maximumBoundBytes = 4096

    private enum Bounds {
        case none
        case int64(min: Int64, max: Int64)
        case double(min: Double, max: Double)
        case float(min: Float, max: Float)
        case string(min: [UInt8], max: [UInt8])
    }

    let type: ParquetType
    private(set) var nullCount: Int64 = 0
    private(set) var nanCount: Int64 = 0
    private var bounds = Bounds.none

    init(type: ParquetType) { self.type = type }

    mutating func add(_ value: ParquetValue) {
        switch (value, bounds) {
        case (.null, _):
            nullCount += 1
        case (.int64(let v), .int64(let low, let high)):
            if v < low { bounds = .int64(min: v, max: high) } else if v > high { bounds = .int64(min: low, max: v) }
        case (.int64(let v), _):
            bounds = .int64(min: v, max: v)
        case (.double, _) where value.isNaN, (.float, _) where value.isNaN:
            nanCount += 1
        case (.double(let v), .double(let low, let high)):
            if v < low { bounds = .double(min: v, max: high) } else if v > high { bounds = .double(min: low, max: v) }
        case (.double(let v), _):
            bounds = .double(min: v, max: v)
        case (.float(let v), .float(let low, let high)):
            if v < low { bounds = .float(min: v, max: high) } else if v > high { bounds = .float(min: low, max: v) }
        case (.float(let v), _):
            bounds = .float(min: v, max: v)
        case (.string(let v), .string(let low, let high)):
            if v.utf8.lexicographicallyPrecedes(low) {
                bounds = .string(min: Array(v.utf8), max: high)
            } else if high.lexicographicallyPrecedes(v.utf8) {
                bounds = .string(min: low, max: Array(v.utf8))
            }
        case (.string(let v), _):
            bounds = .string(min: Array(v.utf8), max: Array(v.utf8))
        }
    }

    /// The Thrift `Statistics` of the chunk, bounds plain-encoded.
    var encoded: ParquetStatistics {
        var statistics = ParquetStatistics(nullCount: nullCount, signedOrder: type != .string)
        if type == .double || type == .float { statistics.nanCount = nanCount }
        switch bounds {
        case .none:
            break
        case .int64(let low, let high):
            statistics.min = PlainEncoding.bytes(low)
            statistics.max = PlainEncoding.bytes(high)
        case .double(let low, let high):
            // A zero bound is written as -0.0 below and +0.0 above, so it holds both zeros.
            statistics.min = PlainEncoding.bytes(low == 0 ? -0.0 : low)
            statistics.max = PlainEncoding.bytes(high == 0 ? 0.0 : high)
        case .float(let low, let high):
            statistics.min = PlainEncoding.bytes(low == 0 ? -0.0 : low)
            statistics.max = PlainEncoding.bytes(high == 0 ? 0.0 : high)
        case .string(let low, let high):
            if low.count <= Self.maximumBoundBytes && high.count <= Self.maximumBoundBytes {
                statistics.min = low
                statistics.max = high
            }
        }
        return statistics
    }
}

extension ParquetValue {
    fileprivate var isNaN: Bool {
        switch self {
        case .double(let v): return v.isNaN
        case .float(let v): return v.isNaN
        default: return false
        }
    }
}
