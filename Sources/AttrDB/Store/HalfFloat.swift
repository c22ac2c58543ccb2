/// The 16-bit encodings of ``Precision/f16`` and ``Precision/bf16``: float32 to 16 bits rounded to
/// nearest even, and back.
///
/// Written with integer operations and selects, no branches, so each loop over a matrix vectorises
/// (SSE2, the baseline every x86_64 has): Swift's `Float16` conversions call compiler-rt one value at
/// a time here, as the F16C instructions need a compiler flag the package does not set.
protocol HalfFloat {
    /// The 16 bits storing `bits` (a float32's bit pattern), rounded to nearest, ties to even.
    static func encode(_ bits: UInt32) -> UInt16
    /// The float32 that 16 stored bits mean (exact: every 16-bit value is a float32).
    static func decode(_ half: UInt16) -> Float
}

/// IEEE-754 binary16, bit for bit what numpy's `astype(np.float16)` gives (NaN keeps its sign and
/// the top of its payload, like numpy's; a finite value of magnitude ≥ 65 520 becomes ±Inf).
enum Float16Bits: HalfFloat {
    @inline(__always)
    static func encode(_ bits: UInt32) -> UInt16 {
        let sign = (bits >> 16) & 0x8000
        let a = bits & 0x7FFF_FFFF
        // Normal results: rebias the exponent (127 → 15) and add the rounding bias, half an ulp less
        // one plus the kept mantissa's last bit, so a tie rounds to even; a carry out of the mantissa
        // moves to the next exponent, up to Inf (0x7C00) from 65 520 on.
        let normal = (a &+ 0xC800_0FFF &+ ((a >> 13) & 1)) >> 13
        // Subnormal results (|v| < 2⁻¹⁴): adding 0.5 puts the binary16 subnormal step 2⁻²⁴ at float32's
        // last mantissa bit of the sum, so the FPU's own rounding (to nearest even) does the work.
        let subnormal = (Float(bitPattern: a) + 0.5).bitPattern &- 0x3F00_0000
        // NaN: quiet, with the payload's top bits kept (numpy's rule; never the Inf pattern).
        let payload = (a >> 13) & 0x3FF
        let nan = 0x7C00 | payload | (payload == 0 ? 1 : 0)
        let magnitude = a > 0x7F80_0000 ? nan : a >= 0x4780_0000 ? 0x7C00 : a < 0x3880_0000 ? subnormal : normal
        return UInt16(truncatingIfNeeded: magnitude | sign)
    }

    @inline(__always)
    static func decode(_ half: UInt16) -> Float {
        let h = UInt32(half)
        let magnitude = h & 0x7FFF
        // Exponent and mantissa shifted into float32's fields read as 2^(e − 127)·1.m (or, for a
        // subnormal, m·2⁻¹⁴⁹); multiplying by 2¹¹² rebiases both exactly. Inf and NaN then get
        // float32's all-ones exponent, their mantissa (NaN's payload) kept.
        let scaled = Float(bitPattern: magnitude << 13) * 0x1p112
        let special: UInt32 = magnitude >= 0x7C00 ? 0x7F80_0000 : 0
        return Float(bitPattern: scaled.bitPattern | special | (h & 0x8000) << 16)
    }
}

/// bfloat16: the top half of a float32, rounded to nearest even. A NaN stays a (quiet) NaN; a
/// finite value beyond bfloat16's largest, 3.39 · 10³⁸, becomes ±Inf.
enum BFloat16Bits: HalfFloat {
    @inline(__always)
    static func encode(_ bits: UInt32) -> UInt16 {
        let rounded = (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16
        let nan = (bits >> 16) | 0x0040
        return UInt16(truncatingIfNeeded: bits & 0x7FFF_FFFF > 0x7F80_0000 ? nan : rounded)
    }

    @inline(__always)
    static func decode(_ half: UInt16) -> Float {
        Float(bitPattern: UInt32(half) << 16)
    }
}

/// A stored value as a matrix holds it, read as the float32 it means: the reductions over a profile
/// are generic over it, so a 16-bit run's profile is decoded as it is added, in one pass over half
/// the bytes, instead of decoded into a float32 buffer first and read again.
protocol StoredWord {
    associatedtype Word
    static func float(_ word: Word) -> Float
}

/// float32, stored as is.
enum Float32Word: StoredWord {
    @inline(__always) static func float(_ word: Float) -> Float { word }
}

/// binary16, little-endian.
enum Float16Word: StoredWord {
    @inline(__always) static func float(_ word: UInt16) -> Float { Float16Bits.decode(UInt16(littleEndian: word)) }
}

/// bfloat16, little-endian.
enum BFloat16Word: StoredWord {
    @inline(__always) static func float(_ word: UInt16) -> Float { BFloat16Bits.decode(UInt16(littleEndian: word)) }
}

/// What rounding a matrix to 16 bits did to its values, for `show` and for refusing overflow.
public struct RoundingError: Equatable, Sendable {
    /// The largest |stored − v| / |v| over finite nonzero values `v` stored as finite nonzero values.
    public var maxRelative: Float = 0
    /// The largest |v| of a nonzero value stored as zero (below half the format's smallest
    /// subnormal: its relative error is 1); 0 when none was.
    public var maxRoundedToZero: Float = 0
    /// Finite values stored as ±Inf: beyond the format's range.
    public var overflowed = 0

    public init(maxRelative: Float = 0, maxRoundedToZero: Float = 0, overflowed: Int = 0) {
        self.maxRelative = maxRelative
        self.maxRoundedToZero = maxRoundedToZero
        self.overflowed = overflowed
    }

    /// Both errors' maxima and the overflow count of two matrices.
    func merged(with other: RoundingError) -> RoundingError {
        RoundingError(maxRelative: max(maxRelative, other.maxRelative), maxRoundedToZero: max(maxRoundedToZero, other.maxRoundedToZero),
                      overflowed: overflowed + other.overflowed)
    }
}

/// Converts whole matrices between float32 and a run's stored precision.
public enum MatrixPrecision {
    /// Rounds `values` to `precision` (f16 or bf16): the stored 16-bit words into `stored`, the float32
    /// they decode to into `rounded` (what every reader will see), and the rounding's errors.
    public static func encode(_ precision: Precision, _ values: UnsafeBufferPointer<Float>, into stored: UnsafeMutableBufferPointer<UInt16>,
                              rounded: UnsafeMutableBufferPointer<Float>) -> RoundingError {
        precondition(stored.count == values.count && rounded.count == values.count)
        switch precision {
        case .f32: preconditionFailure("float32 is stored as given")
        case .f16: return encode(Float16Bits.self, values, stored, rounded)
        case .bf16: return encode(BFloat16Bits.self, values, stored, rounded)
        }
    }

    /// Decodes 16-bit stored words (little-endian, as a matrix holds them) to float32.
    public static func decode(_ precision: Precision, _ stored: UnsafeBufferPointer<UInt16>, into values: UnsafeMutableBufferPointer<Float>) {
        precondition(stored.count == values.count)
        switch precision {
        case .f32: preconditionFailure("float32 needs no decoding")
        case .f16: decode(Float16Bits.self, stored, values)
        case .bf16: decode(BFloat16Bits.self, stored, values)
        }
    }

    /// One pass per matrix: encode, decode back and measure, each value once while it is in a register.
    private static func encode<H: HalfFloat>(_: H.Type, _ values: UnsafeBufferPointer<Float>, _ stored: UnsafeMutableBufferPointer<UInt16>,
                                             _ rounded: UnsafeMutableBufferPointer<Float>) -> RoundingError {
        guard let input = values.baseAddress, let out = stored.baseAddress, let back = rounded.baseAddress else { return RoundingError() }
        // The maxima are kept as bit patterns: for non-negative floats they order as the values do,
        // and integer max reductions vectorise where float ones (NaN-aware) do not.
        var maxRelative: UInt32 = 0, maxZeroed: UInt32 = 0, overflowed = 0
        for i in 0..<values.count {
            let v = input[i]
            let a = v.bitPattern & 0x7FFF_FFFF
            let h = H.encode(v.bitPattern)
            let r = H.decode(h)
            out[i] = UInt16(littleEndian: h)
            back[i] = r
            let ra = r.bitPattern & 0x7FFF_FFFF
            let finite = a < 0x7F80_0000
            let overflow = finite && ra == 0x7F80_0000
            overflowed &+= overflow ? 1 : 0
            maxZeroed = max(maxZeroed, finite && a != 0 && ra == 0 ? a : 0)
            let relative = abs(r - v) / Float(bitPattern: a)
            maxRelative = max(maxRelative, finite && a != 0 && ra != 0 && !overflow ? relative.bitPattern : 0)
        }
        return RoundingError(maxRelative: Float(bitPattern: maxRelative), maxRoundedToZero: Float(bitPattern: maxZeroed), overflowed: overflowed)
    }

    private static func decode<H: HalfFloat>(_: H.Type, _ stored: UnsafeBufferPointer<UInt16>, _ values: UnsafeMutableBufferPointer<Float>) {
        guard let input = stored.baseAddress, let out = values.baseAddress else { return }
        for i in 0..<stored.count { out[i] = H.decode(UInt16(littleEndian: input[i])) }
    }
}
