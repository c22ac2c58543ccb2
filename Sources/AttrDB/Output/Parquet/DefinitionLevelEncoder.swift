/// Encodes definition levels in Parquet's RLE / bit-packed hybrid encoding with bit width 1: the
/// levels of a top-level optional column are 0 (null) or 1 (a value).
///
/// Runs of 8 or more equal levels become RLE runs; everything else is bit-packed, 8 levels a byte.
/// Bit-packed runs hold whole groups of 8, so only the last group of a page is padded.
enum DefinitionLevelEncoder {
    /// The encoded levels, without the 4-byte length that precedes them in a v1 data page.
    static func encode(_ levels: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var literal: [UInt8] = []
        var index = 0
        while index < levels.count {
            let level = levels[index]
            var end = index + 1
            while end < levels.count && levels[end] == level { end += 1 }
            var run = end - index
            // A bit-packed run must end on a group of 8 before an RLE run can start.
            if literal.count % 8 != 0 {
                let fill = min(run, 8 - literal.count % 8)
                literal.append(contentsOf: repeatElement(level, count: fill))
                index += fill
                run -= fill
                if run == 0 { continue }
            }
            if run >= 8 {
                appendBitPacked(literal, to: &output)
                literal.removeAll(keepingCapacity: true)
                appendVarint(UInt64(run) << 1, to: &output)
                output.append(level)
            } else {
                literal.append(contentsOf: repeatElement(level, count: run))
            }
            index += run
        }
        appendBitPacked(literal, to: &output)
        return output
    }

    private static func appendBitPacked(_ levels: [UInt8], to output: inout [UInt8]) {
        guard !levels.isEmpty else { return }
        let groups = (levels.count + 7) / 8
        appendVarint(UInt64(groups) << 1 | 1, to: &output)
        for group in 0..<groups {
            var byte: UInt8 = 0
            for bit in 0..<8 {
                let index = group * 8 + bit
                if index < levels.count && levels[index] != 0 { byte |= 1 << UInt8(bit) }
            }
            output.append(byte)
        }
    }

    private static func appendVarint(_ value: UInt64, to output: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        output.append(UInt8(rest))
    }
}
