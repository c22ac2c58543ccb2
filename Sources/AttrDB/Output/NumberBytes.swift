import CNumberFormat
import Foundation

/// A number's text written straight into an output's bytes, with no String per number: the same
/// characters as ``Cell/exactText`` and ``Cell/roundedText(digits:)`` (`NumberBytesTests` compares
/// them over random and edge values), so every format keeps its bytes.
///
/// A 17-digit Double does not fit a small string, so `description` allocated one on the heap per
/// number; `capacity` at 10⁹ values writes 162 000 of them.
enum NumberBytes {
    /// `value`'s decimal digits, as `String(value)` writes them: appended one at a time from the
    /// highest (the steps, layers and ranks a table holds have a few; a buffer copied in for each
    /// took more than the digits at 243 000 integers a `compare`).
    static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // The magnitude as unsigned, so Int.min has one too.
        var magnitude = value.magnitude
        var divisor: UInt = 1
        // divisor × 10 ≤ magnitude whenever it grows, so it never overflows.
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        }
    }

    /// The shortest digits that read back as the same `value` of its own type (`value.description`:
    /// a Float's as float32, a Double's as float64), or `nan`, `inf`, `-inf`.
    @inline(__always)
    static func appendExact<F: BinaryFloatingPoint & TextOutputStreamable>(_ value: F, to bytes: inout [UInt8]) {
        if !value.isFinite { return appendNonFinite(value.isNaN, negative: value < 0, to: &bytes) }
        var stream = ByteStream(bytes: bytes)
        bytes = []
        value.write(to: &stream)
        bytes = stream.take()
    }

    private static func appendNonFinite(_ isNaN: Bool, negative: Bool, to bytes: inout [UInt8]) {
        if isNaN { return bytes.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "a"), UInt8(ascii: "n")]) }
        if negative { bytes.append(UInt8(ascii: "-")) }
        bytes.append(contentsOf: [UInt8(ascii: "i"), UInt8(ascii: "n"), UInt8(ascii: "f")])
    }

    /// `digits` significant digits for a finite `value`, as ``Cell/significant(_:_:)`` writes them:
    /// fixed-point with trailing zeros removed for magnitudes in [1e-4, 1e15), else `%.(digits-1)e`.
    /// The digits come from the C library's printf, as `String(format:)`'s did, without building a
    /// format String and an NSString per number (``attrdb_format_double``).
    static func appendSignificant(_ value: Double, digits: Int, to bytes: inout [UInt8]) {
        if value == 0 { return bytes.append(UInt8(ascii: "0")) }
        let magnitude = abs(value)
        let fixed = magnitude >= 1e-4 && magnitude < 1e15
        let precision = fixed ? max(0, digits - 1 - Int((log10(magnitude)).rounded(.down))) : max(0, digits - 1)
        let start = bytes.count
        appendPrintf(value, precision: precision, conversion: fixed ? UInt8(ascii: "f") : UInt8(ascii: "e"), to: &bytes)
        guard fixed, bytes[start...].contains(UInt8(ascii: ".")) else { return }
        while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
    }

    /// `%.<precision>f` or `%.<precision>e` of `value`, by the C library's `snprintf` into a stack
    /// buffer (a larger heap one when the text is longer, which only a huge precision asks for).
    private static func appendPrintf(_ value: Double, precision: Int, conversion: UInt8, to bytes: inout [UInt8]) {
        let precision = Int32(clamping: precision), conversion = CChar(bitPattern: conversion)
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        let needed = withUnsafeMutableBytes(of: &buffer) { out in
            let count = Int(attrdb_format_double(out.baseAddress!.assumingMemoryBound(to: CChar.self), out.count, precision, conversion, value))
            if count >= 0 && count < out.count { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: out[..<count])) }
            return count
        }
        guard needed >= MemoryLayout.size(ofValue: buffer) else { return }
        var large = [CChar](repeating: 0, count: needed + 1)
        let count = large.withUnsafeMutableBufferPointer { attrdb_format_double($0.baseAddress!, $0.count, precision, conversion, value) }
        bytes.append(contentsOf: large[..<Int(count)].map { UInt8(bitPattern: $0) })
    }
}

/// Where the standard library writes a number's characters: `Double.write(to:)` hands them over as
/// one ASCII buffer (`_writeASCII`), which is appended as it is, with no String made.
private struct ByteStream: TextOutputStream {
    var bytes: [UInt8]

    mutating func take() -> [UInt8] {
        var taken: [UInt8] = []
        swap(&taken, &bytes)
        return taken
    }

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }
}
