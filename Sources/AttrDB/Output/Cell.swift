import Foundation

/// One value of a result table.
public enum Cell: Hashable, Sendable {
    case int(Int)
    case double(Double)
    /// A stored float32 value, printed with the fewest digits that read back as the same float32.
    case float(Float)
    case text(String)
    case null

    public var isNumeric: Bool {
        switch self {
        case .int, .double, .float: return true
        default: return false
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        case .float(let v): return Double(v)
        default: return nil
        }
    }

    /// The exact text: shortest round-trip digits, `nan`/`inf`/`-inf` as numpy and Python read them.
    public var exactText: String {
        switch self {
        case .int(let v): return String(v)
        case .double(let v): return Cell.numberText(v)
        case .float(let v): return Cell.numberText(v)
        case .text(let v): return v
        case .null: return ""
        }
    }

    /// Text for people: `digits` significant digits for non-integers.
    func roundedText(digits: Int?) -> String {
        guard let digits else { return exactText }
        switch self {
        case .double(let v) where v.isFinite: return Cell.significant(v, digits)
        case .float(let v) where v.isFinite: return Cell.significant(Double(v), digits)
        default: return exactText
        }
    }

    /// ``exactText``'s bytes appended to `bytes`, with no String made for a number.
    func appendExact(to bytes: inout [UInt8]) {
        switch self {
        case .int(let v): NumberBytes.appendDecimal(v, to: &bytes)
        case .double(let v): NumberBytes.appendExact(v, to: &bytes)
        case .float(let v): NumberBytes.appendExact(v, to: &bytes)
        case .text(let v): TableWriter.appendUTF8(v, to: &bytes)
        case .null: break
        }
    }

    /// ``roundedText(digits:)``'s bytes appended to `bytes`, with no String made for a number.
    func appendRounded(digits: Int?, to bytes: inout [UInt8]) {
        guard let digits else { return appendExact(to: &bytes) }
        switch self {
        case .double(let v) where v.isFinite: NumberBytes.appendSignificant(v, digits: digits, to: &bytes)
        case .float(let v) where v.isFinite: NumberBytes.appendSignificant(Double(v), digits: digits, to: &bytes)
        default: appendExact(to: &bytes)
        }
    }

    static func numberText<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return value.description
    }

    static func significant(_ value: Double, _ digits: Int) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-4 && magnitude < 1e15 {
            let decimals = max(0, digits - 1 - Int((log10(magnitude)).rounded(.down)))
            var text = String(format: "%.\(decimals)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text
        }
        return String(format: "%.\(max(0, digits - 1))e", value)
    }
}


