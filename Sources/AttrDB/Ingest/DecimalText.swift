/// Number text as Python and numpy write it: optional sign, decimal digits with an optional point
/// and exponent, or nan / inf / infinity in any case. `strtod` alone would also take hexadecimal
/// (`0x10` as 16, `0x1p3` as 8), which no writer of attributions means.
enum DecimalText {
    /// The value of `text` (surrounding spaces and tabs allowed), or nil when it is not such a number.
    static func parse(_ text: UnsafeRawBufferPointer) -> Double? {
        let body = trimmed(text)
        if isDecimal(body) { return NumberText.parse(body) }
        return special(body)
    }

    /// `text` without leading and trailing spaces and tabs.
    static func trimmed(_ text: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0, end = text.count
        while start < end, text[start] == 0x20 || text[start] == 0x09 { start += 1 }
        while end > start, text[end - 1] == 0x20 || text[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: text[start..<end])
    }

    /// True for `0x…` or `-0X…`: worth naming in an error, since strtod-based readers accept it.
    static func looksHexadecimal(_ text: String) -> Bool {
        let body = text.trimmingCharacters(in: .whitespaces).drop { $0 == "+" || $0 == "-" }
        return body.lowercased().hasPrefix("0x")
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
    static func isDecimal(_ text: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = text.count
        func digits() -> Int {
            let from = i
            while i < n, text[i] &- 0x30 < 10 { i += 1 }
            return i - from
        }
        if i < n, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") { i += 1 }
        var mantissa = digits()
        if i < n, text[i] == UInt8(ascii: ".") { i += 1; mantissa += digits() }
        guard mantissa > 0 else { return false }
        if i < n, text[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < n, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == n
    }

    private static func special(_ text: UnsafeRawBufferPointer) -> Double? {
        guard text.count <= 9 else { return nil }
        switch String(decoding: text, as: UTF8.self).lowercased() {
        case "nan", "+nan", "-nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return nil
        }
    }
}
