import Foundation
import XCTest
@testable import AttrDB

/// The gzip reader: every member read, every trailer checked, and every malformed stream a clean
/// error naming the compressed byte offset — never a crash, never a silent short read.
final class GzipStreamTests: XCTestCase {
    /// `data` compressed by Python's gzip module (an independent writer), one member per part.
    private func gzip(_ parts: [Data]) throws -> Data {
        let folder = try TemporaryFolder()
        for (i, part) in parts.enumerated() { try part.write(to: URL(fileURLWithPath: folder.path("part\(i)"))) }
        let out = folder.path("out.gz")
        _ = try python("""
            import gzip, sys
            open(sys.argv[1], 'wb').write(b''.join(gzip.compress(open(p, 'rb').read(), mtime=0) for p in sys.argv[2:]))
            """, arguments: [out] + parts.indices.map { folder.path("part\($0)") })
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    /// Decompresses `data` fed in chunks of `chunk` bytes.
    private func gunzip(_ data: Data, chunk: Int = 1 << 20) throws -> Data {
        var out = Data()
        let stream = try GzipStream(file: "t.gz", outputSize: 64)
        try data.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(start + chunk, bytes.count)
                try stream.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end])) { out.append(contentsOf: $0) }
                start = end
            }
        }
        try stream.finish()
        return out
    }

    private func assertError(_ data: Data, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try gunzip(data), file: file, line: line) { error in
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
    }

    func testChunkSizesDoNotChangeTheOutput() throws {
        let text = Data(tinyCSV().utf8)
        let gz = try gzip([text])
        for chunk in [1, 2, 3, 7, 64, gz.count] {
            XCTAssertEqual(try gunzip(gz, chunk: chunk), text, "chunk \(chunk)")
        }
    }

    func testEveryPrefixIsACleanTruncationError() throws {
        let gz = try gzip([Data(tinyCSV().utf8)])
        assertError(Data(), "t.gz: byte 0: expected a gzip member, found end of file (the input is truncated)")
        for cut in 1..<gz.count {
            assertError(gz.prefix(cut), "t.gz: byte \(cut): expected the rest of gzip member 1, found end of file (the input is truncated)")
        }
        // The same through the CSV reader and a file, as `attrdb ingest` reads it.
        let fixture = try IngestFixture()
        for cut in stride(from: 1, to: gz.count, by: 5) {
            let path = fixture.folder.path("cut\(cut).csv.gz")
            try gz.prefix(cut).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try LongFormReader.readCSV(path: path)) { error in
                XCTAssertEqual("\(error)", "\(path): byte \(cut): expected the rest of gzip member 1, found end of file (the input is truncated)")
            }
        }
    }

    func testEveryMemberIsRead() throws {
        let lines = tinyCSV().split(separator: "\n", omittingEmptySubsequences: false)
        let first = lines[..<5].joined(separator: "\n") + "\n", rest = lines[5...].joined(separator: "\n")
        let gz = try gzip([Data(first.utf8), Data(), Data(rest.utf8)])
        XCTAssertEqual(try gunzip(gz), Data(tinyCSV().utf8))
        XCTAssertEqual(try gunzip(gz, chunk: 3), Data(tinyCSV().utf8))
        // A cut inside the third member names it.
        let cut = gz.count - 3
        assertError(gz.prefix(cut), "t.gz: byte \(cut): expected the rest of gzip member 3, found end of file (the input is truncated)")
    }

    func testTwoMembersOfTheExampleGiveEveryValue() throws {
        let csv = try Data(contentsOf: Repository.example.appendingPathComponent("attributions.csv"))
        let lines = csv.split(separator: 0x0A, omittingEmptySubsequences: false)
        let head = Data(lines[..<1665].joined(separator: [0x0A])) + Data([0x0A])
        let tail = Data(lines[1665...].joined(separator: [0x0A]))
        XCTAssertEqual(head + tail, csv)
        let fixture = try IngestFixture()
        let path = fixture.folder.path("mm.csv.gz")
        try gzip([head, tail]).write(to: URL(fileURLWithPath: path))
        let whole = try LongFormReader.readCSV(path: Repository.example.appendingPathComponent("attributions.csv").path)
        let members = try LongFormReader.readCSV(path: path)
        XCTAssertEqual(members.matrices.reduce(0) { $0 + $1.count }, 54_912)
        XCTAssertEqual(members.axes, whole.axes)
        XCTAssertEqual(members.matrices, whole.matrices)
    }

    /// More than one read (1 MiB) of compressed input: the reader this replaced garbled the text
    /// at its first chunk boundary ("line 86835: expected 4 fields as in the header, found 3").
    func testAFileLargerThanOneReadGivesTheSameValuesAsItsText() throws {
        let fixture = try IngestFixture()
        let plain = fixture.folder.path("big.csv"), gz = fixture.folder.path("big.csv.gz")
        _ = try python("""
            import gzip, random, sys
            random.seed(1)
            labels = [f'L{l}H{h}' for l in range(10) for h in range(30)]
            rows = ['checkpoint_step,coefficient,component,value']
            rows += [f'{s},{c / 10!r},{p},{random.gauss(0, 1)!r}' for s in range(4) for c in range(100) for p in labels]
            data = ('\\n'.join(rows) + '\\n').encode()
            open(sys.argv[1], 'wb').write(data)
            open(sys.argv[2], 'wb').write(gzip.compress(data, mtime=0))
            """, arguments: [plain, gz])
        XCTAssertGreaterThan(try FileManager.default.attributesOfItem(atPath: gz)[.size] as? Int ?? 0, ByteSource.chunkSize)
        let a = try LongFormReader.readCSV(path: plain), b = try LongFormReader.readCSV(path: gz)
        XCTAssertEqual(b.matrices.reduce(0) { $0 + $1.count }, 120_000)
        XCTAssertEqual(a.axes, b.axes)
        XCTAssertEqual(a.matrices, b.matrices)
    }

    func testAWrongCRCOrLengthIsRefused() throws {
        let text = Data(tinyCSV().utf8)
        let gz = try gzip([text])
        let crc = gz.count - 8, size = gz.count - 4
        let storedCRC = gz[crc..<size].reversed().map { String(format: "%02x", $0) }.joined()
        var badCRC = gz
        badCRC[crc] ^= 0x01
        let flipped = badCRC[crc..<size].reversed().map { String(format: "%02x", $0) }.joined()
        assertError(badCRC, "t.gz: byte \(crc): expected the CRC-32 of gzip member 1's data, 0x\(storedCRC), found 0x\(flipped) in its trailer")
        var badSize = gz
        badSize[size] ^= 0x10
        assertError(badSize, "t.gz: byte \(size): expected the length of gzip member 1's data, \(text.count) bytes (mod 2^32), found \(text.count ^ 0x10) in its trailer")
        // The same in a second member.
        let two = try gzip([text, text])
        var badSecond = two
        badSecond[two.count - 8] ^= 0x80
        XCTAssertThrowsError(try gunzip(badSecond)) { error in
            XCTAssertTrue("\(error)".hasPrefix("t.gz: byte \(two.count - 8): expected the CRC-32 of gzip member 2's data"), "\(error)")
        }
    }

    func testTrailingGarbageIsRefusedWithItsOffset() throws {
        let gz = try gzip([Data(tinyCSV().utf8)])
        assertError(gz + Data("garbage".utf8),
                    "t.gz: byte \(gz.count): expected another gzip member (starting 0x1f 0x8b) or end of file after member 1, found the byte 0x67")
        assertError(gz + Data([0x1F, 0x00]),
                    "t.gz: byte \(gz.count + 1): expected another gzip member (starting 0x1f 0x8b) or end of file after member 1, found the byte 0x00")
        // Zero padding is garbage too: nothing after the last member is silently skipped.
        assertError(gz + Data(count: 512),
                    "t.gz: byte \(gz.count): expected another gzip member (starting 0x1f 0x8b) or end of file after member 1, found the byte 0x00")
        // One byte of a next member's magic is a truncated member.
        assertError(gz + Data([0x1F]), "t.gz: byte \(gz.count + 1): expected the rest of gzip member 2, found end of file (the input is truncated)")
    }

    func testCorruptDeflateDataIsRefused() throws {
        var gz = try gzip([Data(String(repeating: tinyCSV(), count: 20).utf8)])
        for i in 12..<20 { gz[i] = 0xFF }
        XCTAssertThrowsError(try gunzip(gz)) { error in
            XCTAssertTrue("\(error)".contains("expected valid gzip data in member 1, found"), "\(error)")
        }
    }
}
