import XCTest
@testable import AttrDB

final class MigrationTests: XCTestCase {
    func testEmbeddedMigrationsEqualSchemaFolderByteForByte() throws {
        let folder = Repository.root.appendingPathComponent("schema")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.range(of: #"^\d{4}_.*\.sql$"#, options: .regularExpression) != nil }
            .sorted()
        XCTAssertEqual(files.count, Migration.embedded.count, "schema/ and the embedded migrations list different files")
        for (file, migration) in zip(files, Migration.embedded) {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
            XCTAssertEqual(file, migration.name + ".sql")
            XCTAssertEqual(Int(file.prefix(4)), migration.version)
            XCTAssertEqual(bytes, Data(migration.sql.utf8), "\(file) differs from its embedded copy: run 'make schema'")
        }
    }

    func testFreshStoreIsAtLatestVersion() throws {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        XCTAssertEqual(try store.schemaVersion(), Migration.latestVersion)
        XCTAssertEqual(try store.connection.scalar("PRAGMA page_size"), .integer(Int64(Store.pageSize)))
    }

    func testCurrentStoreIsLeftAsItIs() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        _ = try Store(path: path, access: .create)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        _ = try Store(path: path, access: .write)
        _ = try Store(path: path, access: .read)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    func testNewerStoreIsRefusedAndUnchanged() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        do {
            let store = try Store(path: path, access: .create)
            try store.connection.execute("PRAGMA user_version = \(Migration.latestVersion + 1)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for access in [Store.Access.read, .write, .create] {
            XCTAssertThrowsError(try Store(path: path, access: access)) { error in
                XCTAssertEqual(error as? StoreError, .newerSchema(path: path, found: Migration.latestVersion + 1, supported: Migration.latestVersion))
            }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    func testMigrationsApplyInOrderAndFailureRollsBack() throws {
        let db = try Connection(path: ":memory:", access: .readWrite(create: true))
        let steps = [Migration(version: 1, name: "0001_a", sql: "CREATE TABLE a (x);"),
                     Migration(version: 2, name: "0002_b", sql: "CREATE TABLE b (x); SELEC broken;")]
        XCTAssertThrowsError(try Migrator.migrate(db, path: ":memory:", migrations: steps))
        XCTAssertEqual(try Migrator.version(of: db), 0, "a failed migration leaves the version as it was")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM sqlite_schema"), .integer(0))
        try Migrator.migrate(db, path: ":memory:", migrations: Array(steps.prefix(1)))
        XCTAssertEqual(try Migrator.version(of: db), 1)
    }

    func testForeignSQLiteDatabaseIsNotTakenOver() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("other.sqlite")
        do {
            let db = try Connection(path: path, access: .readWrite(create: true))
            try db.execute("CREATE TABLE theirs (x)")
        }
        XCTAssertThrowsError(try Store(path: path, access: .create)) {
            XCTAssertEqual($0 as? StoreError, .notAnAttrDBStore(path: path))
        }
    }

    func testAVersion2StoreGainsTheWeightsHashColumnKeepingItsCheckpoints() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        do {
            // A store as attrdb wrote it at schema version 2, with a run and a checkpoint.
            let db = try Connection(path: path, access: .readWrite(create: true))
            try Migrator.migrate(db, path: path, migrations: Array(Migration.embedded.prefix(2)))
            try db.execute("INSERT INTO run (name, created_at) VALUES ('r', '2026-01-01T00:00:00Z')")
            try db.execute("INSERT INTO checkpoint (run_id, step) VALUES (1, 100)")
        }
        let store = try Store(path: path, access: .write)
        XCTAssertEqual(try store.schemaVersion(), Migration.latestVersion)
        XCTAssertEqual(try store.connection.scalar("SELECT step FROM checkpoint WHERE weights_sha256 IS NULL"), .integer(100))
        let hash = String(repeating: "0123456789abcdef", count: 4)
        try store.connection.execute("UPDATE checkpoint SET weights_sha256 = '\(hash)'")
        for bad in [String(hash.dropLast()), hash.uppercased(), String(hash.dropLast()) + "g"] {
            XCTAssertThrowsError(try store.connection.execute("UPDATE checkpoint SET weights_sha256 = '\(bad)'"), "the column's CHECK refuses \(bad)")
        }
        XCTAssertEqual(try store.connection.scalar("SELECT weights_sha256 FROM checkpoint"), .text(hash))
    }
}
