import XCTest
@testable import AttrDB

/// The checksum stored with every matrix (issue 9, defect 7): the hash itself, every write path that
/// stores one, and `StoreCheck` finding a matrix whose bytes no longer match it.
final class ChecksumTests: XCTestCase {
    private func digest(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { XXHash64.digest($0) }
    }

    /// Values from the reference implementation (PyPI xxhash 3.x, `xxh64_intdigest`), across the
    /// short-input path, the 32-byte stripes and every tail length.
    func testXXHash64MatchesTheReferenceImplementation() {
        XCTAssertEqual(digest([]), 0xEF46_DB37_51D8_E999)
        XCTAssertEqual(digest(Array("abc".utf8)), 0x44BC_2CF5_AD77_0999)
        XCTAssertEqual(digest(Array(repeating: Array(0...255), count: 3).flatMap { $0 }), 0x8E03_C838_C596_036F)
        XCTAssertEqual(digest(Array(String(repeating: "attrdb", count: 17).utf8)), 0xD18C_80D4_59CC_C764)
    }

    private func recorder(_ store: Store, replace: Bool = false) throws -> Recorder {
        try Recorder(store: store, target: IngestTarget(run: "r", metric: "logit_diff"),
                     components: [Component(label: "L0H0", layer: 0, kind: .attnHead, index: 0),
                                  Component(label: "L0H1", layer: 0, kind: .attnHead, index: 1)],
                     coefficients: [-1, 0, 1], options: IngestOptions(replace: replace))
    }

    private func storedChecksums(_ store: Store) throws -> [Int64: Int64] {
        var out: [Int64: Int64] = [:]
        try store.connection.forEachRow("SELECT attribution_id, checksum FROM attribution") { out[$0.int64(at: 0)] = $0.int64(at: 1) }
        return out
    }

    private func checksumOf(_ values: [Float]) -> Int64 {
        values.withUnsafeBytes { XXHash64.storedValue($0) }
    }

    func testAppendAndReplaceStoreTheChecksumOfTheBytesWritten() throws {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        let first: [Float] = [1, 2, 3, 4, 5, 6], second: [Float] = [6, 5, 4, 3, 2, -1e-30]
        do {
            let r = try recorder(store)
            try r.append(step: 1, values: first)
            try r.append(step: 2, values: second)
            try r.commit()
        }
        XCTAssertEqual(try storedChecksums(store), [1: checksumOf(first), 2: checksumOf(second)])
        do {
            let r = try recorder(store, replace: true)
            try r.append(step: 1, values: second)
            try r.commit()
        }
        XCTAssertEqual(try storedChecksums(store), [1: checksumOf(second), 2: checksumOf(second)],
                       "--replace writes the new matrix's checksum with it")
        XCTAssertEqual(try StoreCheck.run(store).problems, 0)
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM attribution WHERE xxh64(matrix) = checksum"), .integer(2))
        XCTAssertEqual(try store.connection.scalar("SELECT xxh64(NULL)"), .null)
    }

    func testCheckNamesEveryMatrixWhoseBytesChanged() throws {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        do {
            let r = try recorder(store)
            for step in [10, 20, 30] { try r.append(step: step, values: [1, 2, 3, 4, 5, Float(step)]) }
            try r.commit()
        }
        // Same length, one value changed: the shape and length checks see nothing.
        try store.connection.execute("UPDATE attribution SET matrix = CAST(f32_slice(matrix, 0, 5) || x'0000803f' AS BLOB) WHERE attribution_id IN (1, 3)")
        let (table, problems) = try StoreCheck.run(store)
        XCTAssertEqual(problems, 2)
        let details = table.rows.filter { $0[0] == .text("matrix_checksum") }.map { $0[2] }
        let expected = checksumOf([1, 2, 3, 4, 5, 10])
        let found = checksumOf([1, 2, 3, 4, 5, 1])
        let hex = { (value: Int64) in String(repeating: "0", count: 16 - String(UInt64(bitPattern: value), radix: 16).count) + String(UInt64(bitPattern: value), radix: 16) }
        XCTAssertEqual(details.first, .text("run r, scan default, metric logit_diff, checkpoint step 10 (attribution 1): checksum \(hex(expected)) stored, the matrix hashes to \(hex(found))"))
        XCTAssertEqual(details.count, 2)
        if case .text(let last) = details.last { XCTAssertTrue(last.hasPrefix("run r, scan default, metric logit_diff, checkpoint step 30 (attribution 3): "), last) }
    }

    /// Migration 0002 on a store the landed main wrote (Tests/fixtures/schema1-store.sqlite.gz): the
    /// checksums of the matrices already there, in the same transaction as the version, rows kept.
    func testMigrationComputesTheChecksumsOfAnOlderStore() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("old.sqlite")
        _ = try python("""
            import gzip, shutil, sys
            with gzip.open(sys.argv[1]) as f, open(sys.argv[2], 'wb') as out: shutil.copyfileobj(f, out)
            """, arguments: [Repository.root.appendingPathComponent("Tests/fixtures/schema1-store.sqlite.gz").path, path])
        var before: [Int64: [UInt8]] = [:]
        do {
            let old = try Connection(path: path, access: .readOnly)
            XCTAssertEqual(try Migrator.version(of: old), 1)
            try old.forEachRow("SELECT attribution_id, matrix FROM attribution") { row in
                before[row.int64(at: 0)] = row.withBytes(at: 1) { Array($0) }
            }
        }
        XCTAssertEqual(before.count, 5)
        let store = try Store(path: path, access: .write)
        XCTAssertEqual(try store.schemaVersion(), Migration.latestVersion)
        var after: [Int64: [UInt8]] = [:]
        try store.connection.forEachRow("SELECT attribution_id, checksum, matrix FROM attribution") { row in
            let bytes = row.withBytes(at: 2) { Array($0) }
            XCTAssertEqual(row.int64(at: 1), bytes.withUnsafeBytes { XXHash64.storedValue($0) })
            after[row.int64(at: 0)] = bytes
        }
        XCTAssertEqual(after, before)
        XCTAssertEqual(try StoreCheck.run(store).problems, 0)
        // The checksum comes before the matrix, so a zeroblob matrix can still be written lazily.
        var columns: [String] = []
        try store.connection.forEachRow("SELECT name FROM pragma_table_info('attribution')") { columns.append($0.string(at: 0)) }
        XCTAssertEqual(columns.suffix(2), ["checksum", "matrix"])
    }
}
