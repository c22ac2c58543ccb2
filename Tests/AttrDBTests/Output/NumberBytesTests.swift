import XCTest
@testable import AttrDB

/// The output writes numbers straight into its bytes (``NumberBytes``); every format's bytes stay
/// those of ``Cell/exactText`` and ``Cell/roundedText(digits:)``, compared here over random bit
/// patterns (every exponent), random values of every scale, and the edges: ±0, subnormals, the
/// largest and smallest values, the 1e-4 and 1e15 boundaries of the fixed-point form, integers,
/// halves that round either way, NaN and ±inf.
final class NumberBytesTests: XCTestCase {
    private func exact(_ cell: Cell) -> String {
        var bytes: [UInt8] = []
        cell.appendExact(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func rounded(_ cell: Cell, _ digits: Int?) -> String {
        var bytes: [UInt8] = Array("prefix,".utf8)  // appended after what a line already holds
        cell.appendRounded(digits: digits, to: &bytes)
        return String(decoding: bytes.dropFirst(7), as: UTF8.self)
    }

    private static let edgeDoubles: [Double] = {
        var values: [Double] = [
            0, -0.0, .nan, -.nan, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
            .leastNormalMagnitude, .leastNormalMagnitude.nextDown, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
            .ulpOfOne, 1, -1, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 0.5, 0.25, 0.125, 9.5, 0.95, 0.995, 0.9999995, 99999.95,
            1e-4, 1e-4.nextDown, 1e-4.nextUp, 9.99995e-5, 1e15, 1e15.nextDown, 1e15.nextUp, 999_999_999_999_999.9,
            1e16, 1e17, 1e21, 1e22, 1e23, 2.2250738585072014e-308, 123456789012345680, 9007199254740992.0.nextUp,
            Double(Int.max), Double(Int.min), 4.35, 2.675, 1.005, 1.0000005, 0.000123456789, 1.5e300, -2.5e-7,
        ]
        for exponent in -320...308 {
            let power = Double("1e\(exponent)")!
            values += [power, power.nextUp, power.nextDown, -power]
        }
        for integer in [1, 7, 10, 99, 100, 12345, 999_999, 1_000_000, 123_456_789, 1 << 53] {
            values += [Double(integer), -Double(integer), Double(integer) + 0.5]
        }
        return values
    }()

    private static let edgeFloats: [Float] = {
        var values: [Float] = [
            0, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, .ulpOfOne, 0.1, 1.0 / 3, Float(16_777_216).nextUp, 1e-4, 1e15, 3.4028235e38,
        ]
        for exponent in -45...38 {
            let power = Float("1e\(exponent)")!
            values += [power, power.nextUp, power.nextDown, -power]
        }
        return values
    }()

    func testExactTextIsTheCellsOverEdgeAndRandomValues() {
        var generator = SystemRandomNumberGenerator()
        var doubles = Self.edgeDoubles, floats = Self.edgeFloats
        for _ in 0..<20_000 {
            doubles.append(Double(bitPattern: generator.next()))
            doubles.append(Double.random(in: -1...1) * pow(10, Double(Int.random(in: -12...20))))
            floats.append(Float(bitPattern: UInt32(truncatingIfNeeded: generator.next())))
            floats.append(Float.random(in: -1...1) * powf(10, Float(Int.random(in: -8...12))))
        }
        for value in doubles where exact(.double(value)) != Cell.double(value).exactText {
            return XCTFail("double \(value.bitPattern): \(exact(.double(value))) ≠ \(Cell.double(value).exactText)")
        }
        for value in floats where exact(.float(value)) != Cell.float(value).exactText {
            return XCTFail("float \(value.bitPattern): \(exact(.float(value))) ≠ \(Cell.float(value).exactText)")
        }
        for value in [0, 1, -1, 42, Int.max, Int.min, 1_000_000_007] {
            XCTAssertEqual(exact(.int(value)), String(value))
        }
        XCTAssertEqual(exact(.text("a,b")), "a,b")
        XCTAssertEqual(exact(.null), "")
    }

    func testRoundedTextIsTheCellsAtEveryDigitCount() {
        var doubles = Self.edgeDoubles, floats = Self.edgeFloats
        for _ in 0..<3_000 {
            doubles.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max)))
            doubles.append(Double.random(in: -1...1) * pow(10, Double(Int.random(in: -8...18))))
            floats.append(Float.random(in: -1...1) * powf(10, Float(Int.random(in: -8...12))))
        }
        for digits in [nil] + Array(1...17) {
            for value in doubles where rounded(.double(value), digits) != Cell.double(value).roundedText(digits: digits) {
                return XCTFail("double \(value.bitPattern) at \(digits ?? 0) digits: \(rounded(.double(value), digits)) ≠ \(Cell.double(value).roundedText(digits: digits))")
            }
            for value in floats where rounded(.float(value), digits) != Cell.float(value).roundedText(digits: digits) {
                return XCTFail("float \(value.bitPattern) at \(digits ?? 0) digits: \(rounded(.float(value), digits)) ≠ \(Cell.float(value).roundedText(digits: digits))")
            }
            XCTAssertEqual(rounded(.int(-12_345), digits), "-12345")
        }
    }

    /// The longest texts `--digits 17` makes: 20 decimals just above 1e-4, 15 integer digits just
    /// below 1e15, and a 3-digit exponent.
    func testTheLongestTextsAreWhole() {
        for value in [1.0000000000000002e-4, -0.00012345678901234567, -9.87654321e14, 999_999_999_999_999.9, -1.2345678901234567e-300] {
            XCTAssertEqual(rounded(.double(value), 17), Cell.double(value).roundedText(digits: 17))
        }
        XCTAssertEqual(rounded(.double(-9.87654321e14), 17), "-987654321000000")
        XCTAssertEqual(rounded(.double(-1.5e-300), 3), "-1.50e-300")
    }

    /// A precision no `--digits` allows still gets its whole text: printf's 81 characters here do
    /// not fit the 64-byte stack buffer and are made again in a heap one.
    func testAPrecisionPastTheStackBufferIsWhole() {
        XCTAssertEqual(rounded(.double(123_456_789_012_345.5), 80), Cell.double(123_456_789_012_345.5).roundedText(digits: 80))
        XCTAssertEqual(rounded(.double(123_456_789_012_345.5), 80), "123456789012345.5")
        XCTAssertEqual(rounded(.double(1.0 / 3), 80), Cell.double(1.0 / 3).roundedText(digits: 80))
    }
}
