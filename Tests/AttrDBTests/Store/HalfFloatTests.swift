import XCTest
@testable import AttrDB

/// The f16 and bf16 conversions of `ingest --precision` (issue 13 §2): round to nearest even at
/// ties, subnormals, overflow, NaN and ±Inf, and the errors `show` reports.
final class HalfFloatTests: XCTestCase {
    private func f16(_ value: Float) -> UInt16 { Float16Bits.encode(value.bitPattern) }
    private func bf16(_ value: Float) -> UInt16 { BFloat16Bits.encode(value.bitPattern) }

    func testFloat16RoundsTiesToEven() {
        let ulp: Float = 0x1p-10  // binary16's step in [1, 2)
        XCTAssertEqual(f16(1), 0x3C00)
        XCTAssertEqual(f16(1 + ulp / 2), 0x3C00, "a tie between 1 (even) and 1 + ulp goes to 1")
        XCTAssertEqual(f16(1 + 3 * ulp / 2), 0x3C02, "a tie between 1 + ulp (odd) and 1 + 2 ulp goes to 1 + 2 ulp")
        XCTAssertEqual(f16((1 + ulp / 2).nextUp), 0x3C01, "just past the tie goes up")
        XCTAssertEqual(f16((1 + ulp / 2).nextDown), 0x3C00, "just before the tie goes down")
        XCTAssertEqual(f16(-(1 + 3 * ulp / 2)), 0xBC02, "the sign is kept")
        XCTAssertEqual(f16(2047.0 / 1024 + ulp / 2), 0x4000, "a carry out of the mantissa moves to the next exponent")
    }

    func testFloat16Subnormals() {
        XCTAssertEqual(f16(0x1p-24), 0x0001, "the smallest subnormal")
        XCTAssertEqual(f16(0x1p-25), 0x0000, "half the smallest subnormal is a tie: to even, 0")
        XCTAssertEqual(f16(Float(0x1p-25).nextUp), 0x0001)
        XCTAssertEqual(f16(3 * 0x1p-25), 0x0002, "a tie between 1 (odd) and 2 subnormal steps goes to 2")
        XCTAssertEqual(f16(0x1p-14 - 0x1p-24), 0x03FF, "the largest subnormal")
        XCTAssertEqual(f16(0x1p-14 - 0x1p-25), 0x0400, "a tie between the largest subnormal and the smallest normal goes to the (even) normal")
        XCTAssertEqual(f16(-0x1p-24), 0x8001)
        XCTAssertEqual(f16(0x1p-30), 0x0000, "far below the smallest subnormal: 0")
        XCTAssertEqual(f16(-0.0), 0x8000)
        XCTAssertEqual(Float16Bits.decode(0x0001), 0x1p-24)
        XCTAssertEqual(Float16Bits.decode(0x03FF), 0x1p-14 - 0x1p-24)
        XCTAssertEqual(Float16Bits.decode(0x8000).bitPattern, (-0.0 as Float).bitPattern)
    }

    func testFloat16OverflowNaNAndInfinity() {
        XCTAssertEqual(f16(65504), 0x7BFF, "the largest finite binary16")
        XCTAssertEqual(f16(Float(65520).nextDown), 0x7BFF)
        XCTAssertEqual(f16(65520), 0x7C00, "half an ulp past the largest rounds (to even) to Inf")
        XCTAssertEqual(f16(-1e6), 0xFC00)
        XCTAssertEqual(f16(.infinity), 0x7C00)
        XCTAssertEqual(f16(-.infinity), 0xFC00)
        XCTAssertEqual(f16(.greatestFiniteMagnitude), 0x7C00)
        XCTAssertEqual(f16(.nan), 0x7E00, "the default NaN stays a quiet NaN")
        XCTAssertTrue(Float16Bits.decode(f16(Float(bitPattern: 0x7F80_0001))).isNaN, "a NaN whose payload is only in the dropped bits stays NaN")
        XCTAssertTrue(Float16Bits.decode(f16(-.nan)).isNaN)
        XCTAssertEqual(Float16Bits.decode(0x7C00), .infinity)
        XCTAssertEqual(Float16Bits.decode(0xFC00), -.infinity)
        XCTAssertTrue(Float16Bits.decode(0x7C01).isNaN)
    }

    /// Every binary16 value decodes as Swift's own `Float16` converts it.
    func testFloat16DecodeEqualsSwiftFloat16ForEveryValue() {
        for bits in 0...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let found = Float16Bits.decode(bits)
            if expected.isNaN {
                XCTAssertTrue(found.isNaN, "\(bits)")
            } else if found.bitPattern != expected.bitPattern {
                XCTFail("\(String(bits, radix: 16)): \(found) vs \(expected)")
                return
            }
        }
    }

    /// Encoding equals Swift's `Float16(_:)` (round to nearest even, compiler-rt) over float32 bit
    /// patterns sampled across every exponent, and decoding then encoding gives the same bits back.
    func testFloat16EncodeEqualsSwiftFloat16() {
        var bits: UInt32 = 0
        var checked = 0
        while true {
            let value = Float(bitPattern: bits)
            if !value.isNaN {
                let expected = Float16(value).bitPattern
                if f16(value) != expected {
                    XCTFail("\(value) (\(String(bits, radix: 16))): \(String(f16(value), radix: 16)) vs \(String(expected, radix: 16))")
                    return
                }
                checked += 1
            }
            let (next, overflow) = bits.addingReportingOverflow(4093)
            if overflow { break }
            bits = next
        }
        XCTAssertGreaterThan(checked, 1_000_000)
        for half in 0...UInt16.max where !Float16Bits.decode(half).isNaN {
            XCTAssertEqual(f16(Float16Bits.decode(half)), half)
        }
    }

    func testBFloat16RoundsTiesToEvenAndKeepsNaN() {
        let ulp: Float = 0x1p-7
        XCTAssertEqual(bf16(1), 0x3F80)
        XCTAssertEqual(bf16(1 + ulp / 2), 0x3F80, "a tie goes to the even 1")
        XCTAssertEqual(bf16(1 + 3 * ulp / 2), 0x3F82, "a tie goes to the even 1 + 2 ulp")
        XCTAssertEqual(bf16((1 + ulp / 2).nextUp), 0x3F81)
        XCTAssertEqual(bf16(-2.5), 0xC020)
        XCTAssertEqual(bf16(Float(bitPattern: 0x0000_8000)), 0x0000, "a float32 subnormal tie goes to the even 0")
        XCTAssertEqual(bf16(Float(bitPattern: 0x0001_8000)), 0x0002)
        XCTAssertEqual(bf16(Float(bitPattern: 0x7F7F_7FFF)), 0x7F7F, "just below half an ulp past the largest: the largest")
        XCTAssertEqual(bf16(Float(bitPattern: 0x7F7F_8000)), 0x7F80, "half an ulp past bfloat16's largest rounds to Inf")
        XCTAssertEqual(bf16(.infinity), 0x7F80)
        XCTAssertEqual(bf16(-.infinity), 0xFF80)
        XCTAssertTrue(BFloat16Bits.decode(bf16(Float(bitPattern: 0x7F80_0001))).isNaN, "a payload only in the dropped bits stays NaN")
        XCTAssertTrue(BFloat16Bits.decode(bf16(Float(bitPattern: 0x7FFF_FFFF))).isNaN, "rounding never carries a NaN into another value")
        XCTAssertEqual(BFloat16Bits.decode(0x3F81), 1 + ulp)
    }

    func testMatrixEncodeMeasuresRelativeErrorZeroesAndOverflow() {
        let values: [Float] = [1, 1 + 0x1p-11, 3 + 0x1p-10, 0x1p-26, -0x1p-27, 0, 70000, .nan, 0x1p-24 * 1.25, -4]
        var stored = [UInt16](repeating: 0, count: values.count)
        var rounded = [Float](repeating: 0, count: values.count)
        let error = values.withUnsafeBufferPointer { input in
            stored.withUnsafeMutableBufferPointer { out in
                rounded.withUnsafeMutableBufferPointer { MatrixPrecision.encode(.f16, input, into: out, rounded: $0) }
            }
        }
        XCTAssertEqual(stored, values.map { f16($0) })
        XCTAssertEqual(rounded.map(\.bitPattern), stored.map { Float16Bits.decode($0).bitPattern })
        XCTAssertEqual(error.overflowed, 1, "70000 is beyond 65504")
        XCTAssertEqual(error.maxRoundedToZero, 0x1p-26, "the larger of the two nonzero values stored as 0")
        // 1.25 · 2⁻²⁴ is stored as 2⁻²⁴ (a subnormal): relative error 0.2, larger than any normal value's.
        XCTAssertEqual(error.maxRelative, 0.2)
        var back = [Float](repeating: 0, count: values.count)
        stored.withUnsafeBufferPointer { input in back.withUnsafeMutableBufferPointer { MatrixPrecision.decode(.f16, input, into: $0) } }
        XCTAssertEqual(back.map(\.bitPattern), rounded.map(\.bitPattern))
    }

    func testMatrixEncodeOfNormalValuesStaysWithinHalfAnUlp() {
        var generator = SystemRandomNumberGenerator()
        let values = (0..<10_000).map { _ in Float.random(in: -1000...1000, using: &generator) }
        for precision in [Precision.f16, .bf16] {
            var stored = [UInt16](repeating: 0, count: values.count)
            var rounded = [Float](repeating: 0, count: values.count)
            let error = values.withUnsafeBufferPointer { input in
                stored.withUnsafeMutableBufferPointer { out in
                    rounded.withUnsafeMutableBufferPointer { MatrixPrecision.encode(precision, input, into: out, rounded: $0) }
                }
            }
            let bound: Float = precision == .f16 ? 0x1p-11 : 0x1p-8  // half an ulp, relative
            let largest = zip(values, rounded).map { abs($1 - $0) / abs($0) }.max() ?? 0
            XCTAssertEqual(error.maxRelative, largest, "\(precision)")
            XCTAssertLessThanOrEqual(error.maxRelative, bound, "\(precision)")
            XCTAssertGreaterThan(error.maxRelative, bound / 2, "\(precision)")
            XCTAssertEqual(error.overflowed, 0)
        }
    }
}
