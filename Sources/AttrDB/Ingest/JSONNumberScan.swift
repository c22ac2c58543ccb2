/// A JSON number read in one pass over its digits: the grammar checked and the value gathered
/// together, where checking with one scan and converting with another read every digit twice.
enum JSONNumberScan {
    /// The index after the JSON number starting at `i`,
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, and its value (correctly rounded, as
    /// ``NumberText/parse(_:)`` gives it); nil when the text there is not a JSON number.
    static func scan(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> (end: Int, value: Double)? {
        var i = start
        let negative = i < n && p[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        var significant = 0, exponent = 0
        // More than 19 significant digits or a long exponent: the grammar is still checked here, the
        // value is left to NumberText (strtod).
        var exact = true
        let integerStart = i
        while i < n {
            let digit = p[i] &- 0x30
            guard digit < 10 else { break }
            if significant > 0 || digit != 0 {
                if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(digit); significant += 1 } else { exact = false }
            }
            i += 1
        }
        let integerDigits = i - integerStart
        guard integerDigits > 0, integerDigits == 1 || p[integerStart] != UInt8(ascii: "0") else { return nil }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < n {
                let digit = p[i] &- 0x30
                guard digit < 10 else { break }
                if significant > 0 || digit != 0 {
                    if significant < 19 { mantissa = mantissa &* 10 &+ UInt64(digit); significant += 1 } else { exact = false }
                }
                exponent -= 1
                i += 1
            }
            guard i > fractionStart else { return nil }
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var negativeExponent = false
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { negativeExponent = p[i] == UInt8(ascii: "-"); i += 1 }
            let exponentStart = i
            var written = 0
            while i < n {
                let digit = p[i] &- 0x30
                guard digit < 10 else { break }
                if i - exponentStart < 4 { written = written * 10 + Int(digit) } else { exact = false }
                i += 1
            }
            guard i > exponentStart else { return nil }
            exponent += negativeExponent ? -written : written
        }
        // A zero goes to NumberText too, which reads "-0" as +0 the way the full reading always has.
        if exact, mantissa != 0, let value = FastDecimal.value(mantissa: mantissa, exponent: exponent, negative: negative) { return (i, value) }
        guard let value = NumberText.parse(UnsafeRawBufferPointer(start: p + start, count: i - start)) else { return nil }
        return (i, value)
    }
}
