/// Parquet's RLE / bit-packing hybrid encoding of small unsigned integers of a fixed bit width
/// (0 to 32): definition levels (width 1) and dictionary indices.
///
/// Runs of 8 or more equal values become RLE runs (`varint(length << 1)`, then the value in
/// `ceil(width / 8)` bytes); everything else is bit-packed in groups of 8 values, least significant
/// bit first (`varint(groups << 1 | 1)`, then `width` bytes a group). A bit-packed run must hold
/// whole groups, so before an RLE run begins, the pending literals are topped up to a multiple of 8
/// from the run itself; only the last group of the input is padded, with zeros.
///
/// ```swift
/// var bytes: [UInt8] = []
/// RLEHybridEncoding.encode([0, 1, 2, 3, 4, 5, 6, 7] as [UInt32], bitWidth: 3, to: &bytes)
/// // bytes == [0x03, 0x88, 0xC6, 0xFA]: one group, the example of parquet-format's Encodings.md
/// ```
enum RLEHybridEncoding {
    /// The bits needed for every value up to `maximum`: 0 for 0, 1 for 1, 2 for 2 and 3, …
    static func bitWidth(forMaximum maximum: UInt32) -> Int {
        UInt32.bitWidth - maximum.leadingZeroBitCount
    }

    /// Appends `values` encoded with `bitWidth` bits each (without the 4-byte length a v1 data page
    /// puts before definition levels). Every value must fit in `bitWidth` bits.
    static func encode<T: FixedWidthInteger & UnsignedInteger>(_ values: [T], bitWidth: Int, to output: inout [UInt8]) {
        values.withUnsafeBufferPointer { encode($0, bitWidth: bitWidth, to: &output) }
    }

    static func encode<T: FixedWidthInteger & UnsignedInteger>(_ values: UnsafeBufferPointer<T>, bitWidth: Int,
                                                               to output: inout [UInt8]) {
        precondition((0...32).contains(bitWidth), "RLE bit width \(bitWidth) is outside 0…32")
        let count = values.count
        var literalStart = 0
        var index = 0
        while index < count {
            let value = values[index]
            var end = index + 1
            while end < count && values[end] == value { end += 1 }
            var run = end - index
            // A bit-packed run must end on a group of 8 before an RLE run can start.
            let pending = (index - literalStart) % 8
            if pending != 0 {
                let fill = min(run, 8 - pending)
                index += fill
                run -= fill
                if run == 0 { continue }
            }
            if run >= 8 {
                appendBitPacked(values, literalStart..<index, bitWidth: bitWidth, to: &output)
                appendVarint(UInt64(run) << 1, to: &output)
                var rest = UInt64(value)
                for _ in 0..<((bitWidth + 7) / 8) {
                    output.append(UInt8(truncatingIfNeeded: rest))
                    rest >>= 8
                }
                index += run
                literalStart = index
            } else {
                index += run
            }
        }
        appendBitPacked(values, literalStart..<count, bitWidth: bitWidth, to: &output)
    }

    /// One bit-packed run of the values in `range`, the last group padded with zeros.
    private static func appendBitPacked<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, _ range: Range<Int>, bitWidth: Int, to output: inout [UInt8]
    ) {
        guard !range.isEmpty else { return }
        let groups = (range.count + 7) / 8
        appendVarint(UInt64(groups) << 1 | 1, to: &output)
        output.reserveCapacity(output.count + groups * bitWidth)
        // Fewer than 8 bits wait in `pending` between values, so a 32-bit value always fits beside them.
        var pending: UInt64 = 0
        var pendingBits = 0
        for position in range.lowerBound..<(range.lowerBound + groups * 8) {
            let value = position < range.upperBound ? UInt64(values[position]) : 0
            pending |= value << UInt64(pendingBits)
            pendingBits += bitWidth
            while pendingBits >= 8 {
                output.append(UInt8(truncatingIfNeeded: pending))
                pending >>= 8
                pendingBits -= 8
            }
        }
    }

    static func appendVarint(_ value: UInt64, to output: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        output.append(UInt8(rest))
    }
}
