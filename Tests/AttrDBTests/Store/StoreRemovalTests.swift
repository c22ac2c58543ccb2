import Foundation
import XCTest
@testable import AttrDB

/// A failed first writer removes the store it made, but never one another process uses
/// (StoreRemoval.swift). Two `Store`s on one path stand for the two processes.
final class StoreRemovalTests: XCTestCase {
    private func ingestExample(into store: Store, run: String = "r") throws {
        _ = try Ingest.run(IngestRequest(path: Repository.example.path, run: run), into: store)
    }

    func testAWriterThatOpenedARemovedStoreWritesNothingAndSaysSo() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        _ = try Store(path: path, access: .create)          // the creator, which then fails
        let other = try Store(path: path, access: .write)   // opened the file meanwhile
        Store.removeIfUnused(at: path)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
        XCTAssertThrowsError(try ingestExample(into: other)) { error in
            XCTAssertEqual(error as? StoreError, .removed(path: path))
        }
        XCTAssertThrowsError(try other.write { }) { XCTAssertEqual($0 as? StoreError, .removed(path: path)) }
    }

    func testAStoreHoldingARunIsKept() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        try ingestExample(into: try Store(path: path, access: .create))
        Store.removeIfUnused(at: path)
        XCTAssertEqual(try Store(path: path, access: .read).runs().map(\.run.name), ["r"])
    }

    func testAStoreWhoseWriteLockIsHeldIsKept() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        let writer = try Store(path: path, access: .create)
        let transaction = try writer.beginWrite()
        Store.removeIfUnused(at: path)   // does not wait for the lock
        XCTAssertTrue(FileManager.default.fileExists(atPath: path))
        transaction.rollback()
    }

    func testWritingOpensTheRemovedPathAfresh() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        var attempts = 0
        try Store.writing(path: path) { store in
            attempts += 1
            if attempts == 1 { Store.removeIfUnused(at: path) }   // another process's failed first ingest
            try ingestExample(into: store)
        }
        XCTAssertEqual(attempts, 2)
        XCTAssertEqual(try Store(path: path, access: .read).runs().map(\.run.name), ["r"])
    }

    /// Closing the last connection of a WAL file deletes `-wal` by name; once the file was removed
    /// and another store made at the path, that is the new store's. SQLite skips the checkpoint and
    /// the deletion when the file has moved (pager.c's `databaseIsUnmoved`): the removal relies on it.
    func testClosingARemovedStoreLeavesTheNewStoresLogAlone() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        _ = try Store(path: path, access: .create)
        var old: Store? = try Store(path: path, access: .write)
        _ = try old?.runs()   // a reader's snapshot: its connection maps the old -shm
        Store.removeIfUnused(at: path)
        let new = try Store(path: path, access: .create)
        try new.connection.execute("PRAGMA wal_autocheckpoint = 0")
        try ingestExample(into: new)
        try new.connection.run("INSERT INTO run_tag (run_id, key, value) SELECT run_id, 'k', 'v' FROM run")  // a commit left in the log
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"))
        old = nil
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"), "the old connection deleted the new store's log")
        XCTAssertEqual(try Store(path: path, access: .read).run(named: "r").tags, ["k": "v"])
        withExtendedLifetime(new) {}
    }
}
