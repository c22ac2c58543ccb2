import Foundation
import XCTest
@testable import AttrDB

/// FastDecimal must give strtod's correctly rounded Double bit for bit, or nil; and what a CSV value
/// becomes (Float of that Double) must not change.
final class FastDecimalTests: XCTestCase {
    private func strtodValue(_ text: String) -> Double {
        text.withCString { strtod($0, nil) }
    }

    private func fast(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { FastDecimal.parse(UnsafeRawBufferPointer($0)) }
    }

    private func assertSameAsStrtod(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let value = fast(text) else { return }
        let expected = strtodValue(text)
        XCTAssertEqual(value.bitPattern, expected.bitPattern, "'\(text)': \(value) vs strtod \(expected)", file: file, line: line)
    }

    func testKnownValues() {
        XCTAssertEqual(fast("0.14276257157325745"), 0.14276257157325745)
        XCTAssertEqual(fast("2.4171500205993652e-05"), 2.4171500205993652e-05)
        XCTAssertEqual(fast("-10.0"), -10)
        XCTAssertEqual(fast("1e27"), 1e27)
        XCTAssertEqual(fast("-0.0")?.sign, .minus)
        XCTAssertEqual(fast(".5"), 0.5)
        XCTAssertEqual(fast("5."), 5)
        XCTAssertEqual(fast("+3E2"), 300)
    }

    /// What the fast path leaves to strtod: more digits or a wider exponent than it handles exactly, and non-numbers.
    func testDeclines() {
        for text in ["12345678901234567890", "1e-28", "1e28", "1e10000", "", "-", ".", "e5", "1e", "1e+", "1.2.3", "0x10", "nan", "inf", " 1", "1 "] {
            XCTAssertNil(fast(text), text)
        }
    }

    /// Halfway cases: the decimal lies exactly between two doubles, or just above or below it.
    func testTiesRoundToEven() {
        // 2^53 + 1 and 2^53 + 3 are halfway between doubles; 9007199254740993 rounds down to even, …995 up.
        for text in ["9007199254740993", "9007199254740995", "9007199254740993.0000000000001", "9007199254740992.9999999999",
                     "0.1", "0.2", "0.3", "1.7976931348623157", "2.2250738585072014", "4.9406564584124654", "5e-1", "125e-3"] {
            assertSameAsStrtod(text)
        }
    }

    func testRandomAgainstStrtod() {
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for _ in 0..<200_000 {
            let kind = Int.random(in: 0..<4, using: &generator)
            let text: String
            switch kind {
            case 0:
                // float32 attributions as Python's repr writes them (shortest double repr).
                let f = Float(bitPattern: UInt32.random(in: 0...UInt32.max, using: &generator))
                guard f.isFinite else { continue }
                text = "\(Double(f))"
            case 1:
                text = String(format: "%.17g", Double.random(in: -1e6...1e6, using: &generator) * pow(10, Double(Int.random(in: -25...20, using: &generator))))
            case 2:
                // Random digit strings with a random exponent: hits rounding boundaries strtod decides.
                let digits = (0..<Int.random(in: 1...19, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
                text = digits + "e" + String(Int.random(in: -30...30, using: &generator))
            default:
                let d = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))
                guard d.isFinite else { continue }
                text = String(format: "%.*e", Int.random(in: 0...18, using: &generator), d)
            }
            if fast(text) != nil { checked += 1 }
            assertSameAsStrtod(text)
        }
        XCTAssertGreaterThan(checked, 50_000, "the fast path should take most of these")
    }
}
