/// Encodes definition levels in Parquet's RLE / bit-packed hybrid encoding with bit width 1: the
/// levels of a top-level optional column are 0 (null) or 1 (a value).
///
/// Runs of 8 or more equal levels become RLE runs; everything else is bit-packed, 8 levels a byte
/// (see ``RLEHybridEncoding``).
enum DefinitionLevelEncoder {
    /// The encoded levels, without the 4-byte length that precedes them in a v1 data page.
    static func encode(_ levels: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        RLEHybridEncoding.encode(levels, bitWidth: 1, to: &output)
        return output
    }

    static func encode(_ levels: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        levels.withUnsafeBufferPointer { RLEHybridEncoding.encode($0, bitWidth: 1, to: &output) }
        return output
    }
}
