import XCTest
@testable import AttrDB

/// The byte-level encodings under the Parquet writer: Thrift compact protocol, RLE / bit-packed
/// definition levels, PLAIN values and the file's frame.
final class ParquetEncodingTests: XCTestCase {
    func testThriftFieldHeadersUseDeltasUpTo15AndZigzagIDsBeyond() {
        var writer = ThriftCompactWriter()
        writer.structure { w in
            w.field(1, i32: 4)        // delta 1, i32: 0x15, zigzag 4 = 8
            w.field(4, string: "ab")  // delta 3, binary: 0x38, length 2
            w.field(20, i64: -1)      // delta 16: long form 0x06, zigzag id 40, zigzag -1 = 1
            w.field(21, bool: true)   // delta 1, true: 0x11
            w.field(22, bool: false)  // delta 1, false: 0x12
        }
        XCTAssertEqual(writer.bytes, [0x15, 0x08, 0x38, 0x02, 0x61, 0x62, 0x06, 0x28, 0x01, 0x11, 0x12, 0x00])
    }

    func testThriftVarintsAndDoubles() {
        var writer = ThriftCompactWriter()
        writer.structure { w in
            w.field(1, i64: 300)             // zigzag 600 = 0b1001011000: 0xD8 0x04
            w.field(2, i64: .min)            // zigzag max UInt64: ten bytes
            w.field(3, i16: -2)              // zigzag 3
            w.field(4, i8: -1)               // one raw byte
            w.field(5, double: 1.0)          // little-endian IEEE bits
        }
        XCTAssertEqual(writer.bytes, [0x16, 0xD8, 0x04,
                                      0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
                                      0x14, 0x03,
                                      0x13, 0xFF,
                                      0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F,
                                      0x00])
    }

    func testThriftNestedStructsKeepTheirOwnFieldIDs() {
        var writer = ThriftCompactWriter()
        writer.structure { w in
            w.field(5, struct: { inner in inner.field(1, i32: 1) })
            w.field(6, i32: 1)  // delta from 5, not from the inner struct's 1
        }
        XCTAssertEqual(writer.bytes, [0x5C, 0x15, 0x02, 0x00, 0x15, 0x02, 0x00])
    }

    func testThriftListsShortAndLong() {
        var writer = ThriftCompactWriter()
        writer.structure { w in
            w.field(1, i32List: [1, -1])
            w.field(2, i32List: Array(repeating: 0, count: 15))
            w.field(3, stringList: ["x"])
        }
        XCTAssertEqual(writer.bytes, [0x19, 0x25, 0x02, 0x01]
                       + [0x19, 0xF5, 0x0F] + Array(repeating: 0, count: 15)
                       + [0x19, 0x18, 0x01, 0x78]
                       + [0x00])
    }

    func testDefinitionLevelsUseRunsAndBitPacking() {
        // 20 ones: one RLE run, header 20 << 1, value 1.
        XCTAssertEqual(DefinitionLevelEncoder.encode(Array(repeating: 1, count: 20)), [0x28, 0x01])
        // 10 alternating levels: one bit-packed run of 2 groups, LSB first, padded with zeros.
        XCTAssertEqual(DefinitionLevelEncoder.encode([1, 0, 1, 0, 1, 0, 1, 0, 1, 0]), [0x05, 0x55, 0x01])
        // 3 mixed, then 13 ones: the ones fill the group of 8 first, then run on as RLE.
        XCTAssertEqual(DefinitionLevelEncoder.encode([0, 1, 0] + Array(repeating: 1, count: 13)),
                       [0x03, 0xFA, 0x10, 0x01])
        XCTAssertEqual(DefinitionLevelEncoder.encode([]), [])
        // 200 ones: the run length needs a two-byte varint (400 = 0x90 0x03).
        XCTAssertEqual(DefinitionLevelEncoder.encode(Array(repeating: 1, count: 200)), [0x90, 0x03, 0x01])
    }

    func testDefinitionLevelsDecodeToTheInput() {
        var generator = ParquetTestRandom(seed: 7)
        for length in [1, 7, 8, 9, 63, 64, 65, 1000] {
            for density in [0, 1, 2, 8] {
                // density 0: all values; 1: all nulls; 2: random; 8: rare nulls in long runs.
                let levels: [UInt8] = (0..<length).map { _ in
                    switch density {
                    case 0: return 1
                    case 1: return 0
                    case 2: return UInt8(generator.next() & 1)
                    default: return generator.next() % 50 == 0 ? 0 : 1
                    }
                }
                XCTAssertEqual(decodeLevels(DefinitionLevelEncoder.encode(levels), count: length), levels,
                               "length \(length), density \(density)")
            }
        }
    }

    func testFileStartsAndEndsWithMagicAndFooterLength() throws {
        let scratch = try ParquetScratch()
        let path = scratch.path("frame.parquet")
        let writer = try ParquetWriter(path: path, columns: [ParquetColumn("a", .int64)])
        try writer.write([.int(1)])
        try writer.close()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(Array(bytes.prefix(4)), Array("PAR1".utf8))
        XCTAssertEqual(Array(bytes.suffix(4)), Array("PAR1".utf8))
        let lengthBytes = bytes[(bytes.count - 8)..<(bytes.count - 4)]
        let footerLength = lengthBytes.reversed().reduce(0) { $0 << 8 | Int($1) }
        // Header 4 + page (header + 8 value bytes) + footer + 8.
        XCTAssertLessThan(footerLength, bytes.count - 8 - 4 - 8)
        // The footer begins with the version field: i32 field 1, value 1 (zigzag 2).
        XCTAssertEqual(Array(bytes[(bytes.count - 8 - footerLength)...].prefix(2)), [0x15, 0x02])
    }

    func testPagesAreZstdFramesAndRepetitionShrinks() throws {
        let compressor = ZstdCompressor()
        let page = [UInt8](repeating: 7, count: 1 << 20)
        let frame = try compressor.compress(page)
        XCTAssertEqual(Array(frame.prefix(4)), [0x28, 0xB5, 0x2F, 0xFD], "zstd's frame magic, little-endian")
        XCTAssertLessThan(frame.count, 1000)
        XCTAssertEqual(Array(try compressor.compress([]).prefix(4)), [0x28, 0xB5, 0x2F, 0xFD], "an empty page is a frame too")
    }

    /// Decodes the RLE / bit-packed hybrid with bit width 1, as a reader does.
    private func decodeLevels(_ bytes: [UInt8], count: Int) -> [UInt8] {
        var levels: [UInt8] = []
        var index = 0
        func varint() -> Int {
            var value = 0, shift = 0
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                value |= Int(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            return value
        }
        while levels.count < count && index < bytes.count {
            let header = varint()
            if header & 1 == 0 {
                let value = bytes[index]
                index += 1
                levels += Array(repeating: value, count: header >> 1)
            } else {
                for _ in 0..<(header >> 1) {
                    let byte = bytes[index]
                    index += 1
                    for bit in 0..<8 { levels.append(byte >> UInt8(bit) & 1) }
                }
            }
        }
        return Array(levels.prefix(count))
    }
}
