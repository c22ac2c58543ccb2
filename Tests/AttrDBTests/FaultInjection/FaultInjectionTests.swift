import Foundation
import XCTest
@testable import AttrDB

/// Fault injection below SQLite (issue 9): every read, write, sync, truncate and delete of an
/// ingest, a backup and a migration fails in turn, or the power is cut after it, and the store
/// is afterwards exactly the old or the new state and passes `attrdb check`. Each test prints how
/// many states it tried; ATTRDB_FAULT_SCALE enlarges the data (make reliability).
final class FaultInjectionTests: XCTestCase {
    /// A scenario's folder: the template the sweep copies for every trial, and the inputs beside it.
    private struct Setup {
        let folder: TemporaryFolder
        var template: String { folder.path("template") }
        var store: String { (template as NSString).appendingPathComponent("store.sqlite") }

        init() throws {
            folder = try TemporaryFolder()
            try FileManager.default.createDirectory(atPath: template, withIntermediateDirectories: true)
        }

        /// Writes a dataset folder outside the template and returns its path.
        func dataset(_ name: String, steps: [Int], scale: Float = 1) throws -> String {
            let path = folder.path(name)
            try SmallDataset.scaled(steps: steps, scale: scale).write(to: path)
            return path
        }
    }

    /// Ingests with the default VFS, to build the template.
    private func ingest(_ input: String, into path: String, replace: Bool = false) throws {
        let store = try Store(path: path, access: .create)
        _ = try Ingest.run(IngestRequest(path: input, run: "r", options: IngestOptions(replace: replace)), into: store)
    }

    /// The operation every ingest scenario tries: open the store through the shim and ingest.
    private func faultyIngest(_ input: String, replace: Bool = false) -> (String) throws -> Void {
        { trial in
            let store = try Store(path: (trial as NSString).appendingPathComponent("store.sqlite"), access: .write, vfs: FaultVFS.name)
            _ = try Ingest.run(IngestRequest(path: input, run: "r", options: IngestOptions(replace: replace)), into: store)
        }
    }

    func testIngestIntoAnEmptyStore() throws {
        let setup = try Setup()
        _ = try Store(path: setup.store, access: .create)
        let input = try setup.dataset("input", steps: [10, 20, 30])
        try FaultSweep(name: "ingest into an empty store", template: setup.template, observed: ["store.sqlite"], operation: faultyIngest(input)).run()
    }

    /// A store an ingest has just made is written with a rollback journal (``Store/withRollbackJournal(_:)``),
    /// the journal and the switches out of WAL mode and back included.
    func testIngestIntoAnEmptyStoreWithARollbackJournal() throws {
        let setup = try Setup()
        _ = try Store(path: setup.store, access: .create)
        let input = try setup.dataset("input", steps: [10, 20, 30])
        try FaultSweep(name: "ingest into an empty store, rollback journal", template: setup.template, observed: ["store.sqlite"]) { trial in
            let store = try Store(path: (trial as NSString).appendingPathComponent("store.sqlite"), access: .write, vfs: FaultVFS.name)
            _ = try store.withRollbackJournal { try Ingest.run(IngestRequest(path: input, run: "r"), into: store) }
        }.run()
    }

    func testAppendingACheckpointToARun() throws {
        let setup = try Setup()
        try ingest(try setup.dataset("first", steps: [10, 20]), into: setup.store)
        let input = try setup.dataset("input", steps: [10, 20, 30])
        try FaultSweep(name: "append a checkpoint", template: setup.template, observed: ["store.sqlite"], operation: faultyIngest(input)).run()
    }

    func testReplacingIngest() throws {
        let setup = try Setup()
        try ingest(try setup.dataset("first", steps: [10, 20, 30]), into: setup.store)
        let input = try setup.dataset("input", steps: [10, 20, 30], scale: 2)
        try FaultSweep(name: "--replace ingest", template: setup.template, observed: ["store.sqlite"], operation: faultyIngest(input, replace: true)).run()
    }

    /// The destination is absent or a whole copy; the source is unchanged in every case.
    func testBackup() throws {
        let setup = try Setup()
        try ingest(try setup.dataset("first", steps: [10, 20, 30]), into: setup.store)
        try FaultSweep(name: "backup", template: setup.template, observed: ["store.sqlite", "backup.sqlite"]) { trial in
            let source = try Store(path: (trial as NSString).appendingPathComponent("store.sqlite"), access: .read, vfs: FaultVFS.name)
            try source.backup(to: (trial as NSString).appendingPathComponent("backup.sqlite"))
        }.run()
    }

    /// Every migration from an empty file being initialised to the newest schema.
    func testMigratingAnEmptyStore() throws {
        let setup = try Setup()
        XCTAssertTrue(FileManager.default.createFile(atPath: setup.store, contents: Data()))
        try FaultSweep(name: "migration from an empty file", template: setup.template, observed: ["store.sqlite"]) { trial in
            _ = try Store(path: (trial as NSString).appendingPathComponent("store.sqlite"), access: .write, vfs: FaultVFS.name)
        }.run()
    }

    /// Migration 0002 (a checksum per matrix, the attribution table rebuilt) on a store written by
    /// attrdb at schema version 1 (Tests/fixtures/schema1-store.sqlite.gz: two runs, five matrices).
    func testMigratingAVersion1Store() throws {
        let setup = try Setup()
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-dc", Repository.root.appendingPathComponent("Tests/fixtures/schema1-store.sqlite.gz").path]
        XCTAssertTrue(FileManager.default.createFile(atPath: setup.store, contents: nil))
        gzip.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: setup.store))
        try gzip.run()
        gzip.waitUntilExit()
        XCTAssertEqual(gzip.terminationStatus, 0)
        let version = try Connection(path: setup.store, access: .readOnly).scalar("PRAGMA user_version")?.int64
        XCTAssertEqual(version, 1)
        XCTAssertGreaterThan(Migration.latestVersion, 1)
        try FaultSweep(name: "migration of a version-1 store", template: setup.template, observed: ["store.sqlite"]) { trial in
            _ = try Store(path: (trial as NSString).appendingPathComponent("store.sqlite"), access: .write, vfs: FaultVFS.name)
        }.run()
    }

    // MARK: - The shim itself

    /// The power-loss model undoes exactly the writes no sync covered, and a torn write keeps
    /// whole sectors.
    func testPowerLossUndoesUnsyncedWritesOnly() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("plain")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(repeating: 1, count: 2048)))
        let writes = UnsyncedWrites()
        guard let inode = writes.track(path: path, isMainDatabase: false) else { return XCTFail("cannot track \(path)") }
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        func write(_ byte: UInt8, at offset: Int, count: Int) throws {
            writes.willWrite(inode, offset: Int64(offset), count: count)
            try handle.seek(toOffset: UInt64(offset))
            handle.write(Data(repeating: byte, count: count))
        }
        try write(2, at: 0, count: 512)
        writes.synced(inode)
        try write(3, at: 512, count: 512)
        try write(4, at: 1536, count: 2048)  // extends the file to 3584 bytes
        try handle.close()
        writes.cutPower(torn: true)
        writes.forget()
        let torn = try Data(contentsOf: URL(fileURLWithPath: path))
        // Synced: 2s; the earlier unsynced write landed: 3s; the last write kept 1024 of its 2048 bytes.
        XCTAssertEqual(torn, Data(repeating: 2, count: 512) + Data(repeating: 3, count: 512) + Data(repeating: 1, count: 512) + Data(repeating: 4, count: 1024))
        XCTAssertEqual(UnsyncedWrites.tornPrefix(offset: 100, count: 300), 0)
        XCTAssertEqual(UnsyncedWrites.tornPrefix(offset: 100, count: 1000), 412)
    }

    /// Counting sees the journal too: a write transaction reads, writes and syncs the database
    /// and its journal, and deletes the journal.
    func testTheShimCountsAWriteTransaction() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("counted.sqlite")
        _ = try Store(path: path, access: .create)
        FaultVFS.shared.arm(.count)
        do {
            let connection = try Connection(path: path, access: .readWrite(create: false), vfs: FaultVFS.name)
            try connection.execute("INSERT INTO metric (name) VALUES ('m')")
        }
        let counted = FaultVFS.shared.disarm().operations
        XCTAssertGreaterThan(counted, 4)
        FaultVFS.shared.arm(.ioError(at: 1))
        XCTAssertThrowsError(try Connection(path: path, access: .readWrite(create: false), vfs: FaultVFS.name)
            .execute("INSERT INTO metric (name) VALUES ('n')"))
        XCTAssertTrue(FaultVFS.shared.disarm().reached)
    }
}
