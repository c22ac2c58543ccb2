/// Decimal text to the correctly rounded Double with integer arithmetic alone, for the numbers text
/// inputs are made of: at most 19 significant digits and a decimal exponent within ±27. Python's
/// `repr` of a float32 attribution (`0.14276257157325745`, `2.4171500205993652e-05`) is one; glibc's
/// `strtod` takes about 300 ns on such text, this one hardware division.
///
/// The value is `m × 10^e` with `m < 2^64`. Since `10^e = 5^e × 2^e` and `5^27 < 2^64`, it is
/// `m / 5^|e|` (or `m × 5^e`) scaled by a power of two: one 128-by-64-bit division (or one
/// 64 × 64-bit product) gives at least 55 significant bits of quotient, the remainder says whether
/// anything is left below them, and rounding to 53 bits to nearest-even from those is exact. The
/// result equals `strtod`'s bit for bit (tested against it); anything else returns nil and goes to
/// `strtod`.
enum FastDecimal {
    /// `5^k` for k in 0...27: the largest power of five below 2^64 is 5^27.
    private static let powersOfFive: [UInt64] = (0...27).map { k in (0..<k).reduce(UInt64(1)) { product, _ in product * 5 } }

    /// The value of `[+-]? digits [. digits] [(e|E) [+-]? digits]`, or nil when the text is not of
    /// that form or lies outside what this path handles exactly.
    static func parse(_ text: UnsafeRawBufferPointer) -> Double? {
        let n = text.count
        var i = 0
        var negative = false
        if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") { negative = text[i] == UInt8(ascii: "-"); i += 1 }
        var mantissa: UInt64 = 0
        var significant = 0     // digits in the mantissa, leading zeros not counted
        var exponent = 0        // decimal exponent of the mantissa's last digit
        var sawDigit = false
        while i < n, text[i] &- 0x30 < 10 {
            let digit = UInt64(text[i] &- 0x30)
            if significant > 0 || digit != 0 {
                guard significant < 19 else { return nil }
                mantissa = mantissa * 10 + digit
                significant += 1
            }
            sawDigit = true
            i += 1
        }
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, text[i] &- 0x30 < 10 {
                let digit = UInt64(text[i] &- 0x30)
                if significant > 0 || digit != 0 {
                    guard significant < 19 else { return nil }
                    mantissa = mantissa * 10 + digit
                    significant += 1
                }
                exponent -= 1
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n, text[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var negativeExponent = false
            if i < n, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") { negativeExponent = text[i] == UInt8(ascii: "-"); i += 1 }
            var written = 0, digits = 0
            while i < n, text[i] &- 0x30 < 10 {
                // Past four digits the exponent is far outside ±27 whatever the mantissa: leave it to strtod.
                guard digits < 4 else { return nil }
                written = written * 10 + Int(text[i] &- 0x30)
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            exponent += negativeExponent ? -written : written
        }
        guard i == n else { return nil }
        return value(mantissa: mantissa, exponent: exponent, negative: negative)
    }

    /// `±mantissa × 10^exponent` correctly rounded, for a mantissa of at most 19 digits; nil when
    /// `|exponent|` > 27 or the result is near the subnormal or overflow range. For a reader that
    /// gathered the digits while checking its own grammar (``JSONNumberScan``).
    static func value(mantissa: UInt64, exponent: Int, negative: Bool) -> Double? {
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        guard let magnitude = scaled(mantissa, exponent) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// `m × 10^e` correctly rounded, for `m > 0` and `|e| ≤ 27`.
    private static func scaled(_ m: UInt64, _ e: Int) -> Double? {
        guard e >= -27 && e <= 27 else { return nil }
        if e >= 0 {
            // m × 5^e exactly, in 128 bits; then × 2^e.
            let product = m.multipliedFullWidth(by: powersOfFive[e])
            return rounded(high: product.high, low: product.low, sticky: false, binaryExponent: e)
        }
        let divisor = powersOfFive[-e]
        // Shift m up so the quotient has at least 55 bits: with b(x) the bit length, the quotient of
        // m·2^s by the divisor has b(m) + s − b(divisor) or one more bits.
        let mBits = 64 - m.leadingZeroBitCount, dBits = 64 - divisor.leadingZeroBitCount
        let shift = max(0, dBits - mBits + 56)
        let high: UInt64, low: UInt64
        if shift == 0 { (high, low) = (0, m) } else if shift < 64 { (high, low) = (m >> (64 - shift), m << shift) } else { (high, low) = (m << (shift - 64), 0) }
        // The quotient has at most 57 bits (or 64 with shift 0), so high < divisor: no overflow.
        let (quotient, remainder) = divisor.dividingFullWidth((high: high, low: low))
        return rounded(high: 0, low: quotient, sticky: remainder != 0, binaryExponent: e - shift)
    }

    /// `(high·2^64 + low + ε) × 2^binaryExponent` rounded to nearest-even, where ε is in (0, 1) when
    /// `sticky` and 0 otherwise.
    private static func rounded(high: UInt64, low: UInt64, sticky: Bool, binaryExponent: Int) -> Double? {
        // Bring the top 64 bits into one word, remembering whether any bit shifted out was set.
        var word = low, exponent = binaryExponent, lost = sticky
        if high != 0 {
            let s = 64 - high.leadingZeroBitCount
            word = high << (64 - s) | low >> s
            lost = lost || low << (64 - s) != 0
            exponent += s
        }
        let bits = 64 - word.leadingZeroBitCount
        guard bits > 0 else { return nil }
        if bits <= 53 && !lost { return scaledExactly(word, exponent) }
        // More than 53 bits here (bits ≤ 53 with something lost does not arise from the shifts above).
        let drop = bits - 53
        guard drop > 0 else { return nil }
        var kept = word >> drop
        let rest = word & ((1 << drop) - 1), half: UInt64 = 1 << (drop - 1)
        if rest > half || (rest == half && (lost || kept & 1 == 1)) { kept += 1 }
        return scaledExactly(kept, exponent + drop)
    }

    /// `significand × 2^exponent` for a significand of at most 54 bits, exact in the normal range.
    private static func scaledExactly(_ significand: UInt64, _ exponent: Int) -> Double? {
        let value = Double(significand)   // exact: at most 2^53 after rounding
        // Stay far from the subnormal and overflow ranges, where one more rounding could happen.
        let top = exponent + (64 - significand.leadingZeroBitCount)
        guard top > -1000 && top < 1000 else { return nil }
        return Double(sign: .plus, exponent: exponent, significand: value)
    }
}
