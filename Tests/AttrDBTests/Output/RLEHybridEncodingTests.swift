import XCTest
@testable import AttrDB

/// The RLE / bit-packing hybrid on its own: the bytes of parquet-format's examples, and a decoder
/// written from the specification reading back every bit width. (ParquetDictionaryTests reads
/// the same encoder's output back through pyarrow and DuckDB.)
final class RLEHybridEncodingTests: XCTestCase {
    func testBitPackingFollowsTheSpecificationsExample() {
        // Encodings.md: 0…7 with bit width 3 pack into 10001000 11000110 11111010.
        var bytes: [UInt8] = []
        RLEHybridEncoding.encode([0, 1, 2, 3, 4, 5, 6, 7] as [UInt32], bitWidth: 3, to: &bytes)
        XCTAssertEqual(bytes, [0x03, 0x88, 0xC6, 0xFA])
    }

    func testRunsStoreTheValueInWholeBytes() {
        var bytes: [UInt8] = []
        // 9 × 0x0ABC at width 12: header 9 << 1, then the value in 2 bytes, little-endian.
        RLEHybridEncoding.encode(Array(repeating: 0x0ABC, count: 9) as [UInt32], bitWidth: 12, to: &bytes)
        XCTAssertEqual(bytes, [0x12, 0xBC, 0x0A])
        bytes = []
        // Width 0: every value is 0, a run is its header alone.
        RLEHybridEncoding.encode(Array(repeating: 0, count: 20) as [UInt32], bitWidth: 0, to: &bytes)
        XCTAssertEqual(bytes, [0x28])
        bytes = []
        // Width 0, fewer than 8 values: one bit-packed group of no bytes.
        RLEHybridEncoding.encode([0, 0, 0] as [UInt32], bitWidth: 0, to: &bytes)
        XCTAssertEqual(bytes, [0x03])
        bytes = []
        // Width 32: the value in 4 bytes.
        RLEHybridEncoding.encode(Array(repeating: UInt32.max, count: 8), bitWidth: 32, to: &bytes)
        XCTAssertEqual(bytes, [0x10, 0xFF, 0xFF, 0xFF, 0xFF])
    }

    func testLiteralsAreToppedUpToAGroupBeforeARun() {
        var bytes: [UInt8] = []
        // 1, 2, 3 then ten 5s at width 3: the group takes five of the 5s, the other five are too
        // few for a run and are packed in a second group, padded with zeros.
        RLEHybridEncoding.encode([1, 2, 3] + Array(repeating: 5, count: 10) as [UInt32], bitWidth: 3, to: &bytes)
        XCTAssertEqual(decode(bytes, bitWidth: 3, count: 13), [1, 2, 3] + Array(repeating: 5, count: 10))
        XCTAssertEqual(bytes.first, 0x05, "one bit-packed run of 2 groups")
        XCTAssertEqual(bytes.count, 1 + 2 * 3)
        bytes = []
        // 1, 2, 3 then twenty 5s: five 5s complete the group, the other fifteen make a run.
        RLEHybridEncoding.encode([1, 2, 3] + Array(repeating: 5, count: 20) as [UInt32], bitWidth: 3, to: &bytes)
        XCTAssertEqual(bytes, [0x03, 0xD1, 0xDA, 0xB6, 0x1E, 0x05])
    }

    func testEveryBitWidthDecodesToTheInput() {
        var generator = ParquetTestRandom(seed: 11)
        for width in 0...32 {
            let limit = width == 32 ? UInt64(UInt32.max) : (UInt64(1) << width) - 1
            for length in [1, 7, 8, 9, 15, 16, 17, 100, 1000] {
                // Runs of 1 to 20 values, so some are RLE runs, some literals, some both.
                var values: [UInt32] = []
                while values.count < length {
                    let value = UInt32(limit == 0 ? 0 : generator.next() % (limit + 1))
                    let run = Int(generator.next() % 20) + 1
                    values += Array(repeating: value, count: min(run, length - values.count))
                }
                var bytes: [UInt8] = []
                RLEHybridEncoding.encode(values, bitWidth: width, to: &bytes)
                XCTAssertEqual(decode(bytes, bitWidth: width, count: length), values, "width \(width), length \(length)")
            }
        }
    }

    func testBitWidthOfTheLargestValue() {
        XCTAssertEqual(RLEHybridEncoding.bitWidth(forMaximum: 0), 0)
        XCTAssertEqual(RLEHybridEncoding.bitWidth(forMaximum: 1), 1)
        XCTAssertEqual(RLEHybridEncoding.bitWidth(forMaximum: 2), 2)
        XCTAssertEqual(RLEHybridEncoding.bitWidth(forMaximum: 3), 2)
        XCTAssertEqual(RLEHybridEncoding.bitWidth(forMaximum: 4), 3)
        XCTAssertEqual(RLEHybridEncoding.bitWidth(forMaximum: UInt32.max), 32)
        XCTAssertEqual(ColumnChunkBuffer.indexBitWidth(entryCount: 1), 0)
        XCTAssertEqual(ColumnChunkBuffer.indexBitWidth(entryCount: 2), 1)
        XCTAssertEqual(ColumnChunkBuffer.indexBitWidth(entryCount: 800), 10)
    }

    /// The hybrid read as Encodings.md describes it, a run at a time; trailing padding dropped.
    private func decode(_ bytes: [UInt8], bitWidth: Int, count: Int) -> [UInt32] {
        var values: [UInt32] = []
        var index = 0
        func varint() -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            return value
        }
        while values.count < count && index < bytes.count {
            let header = varint()
            if header & 1 == 0 {
                var value: UInt64 = 0
                for byte in 0..<((bitWidth + 7) / 8) {
                    value |= UInt64(bytes[index]) << UInt64(8 * byte)
                    index += 1
                }
                values += Array(repeating: UInt32(value), count: Int(header >> 1))
            } else {
                let valueCount = Int(header >> 1) * 8
                var bit = 0
                for _ in 0..<valueCount {
                    var value: UInt64 = 0
                    for b in 0..<bitWidth {
                        let position = bit + b
                        value |= UInt64(bytes[index + position / 8] >> UInt8(position % 8) & 1) << UInt64(b)
                    }
                    bit += bitWidth
                    values.append(UInt32(value))
                }
                index += (valueCount * bitWidth) / 8
            }
        }
        return Array(values.prefix(count))
    }
}
