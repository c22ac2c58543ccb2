import Foundation
import XCTest
@testable import AttrDB

/// An ingest into a store it makes writes with a rollback journal, each page once; into an
/// existing store it writes through the log, so a reader's snapshot never blocks it.
final class RollbackJournalTests: XCTestCase {
    /// What the files beside the store look like while the ingest runs, seen after each checkpoint.
    private struct Seen: Equatable {
        /// Bytes 18 and 19 of the store file: 2 and 2 in WAL mode, 1 and 1 with a rollback journal.
        var header: [UInt8]
        var log: Bool
    }

    private func header(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path))[18..<20])
    }

    /// Ingests `input` into `store` (made when missing), recording what is seen after each checkpoint.
    private func ingest(_ input: String, into store: String, run: String) throws -> [Seen] {
        var seen: [Seen] = []
        _ = try Ingest.run(IngestRequest(path: input, run: run), storePath: store) { _, _ in
            seen.append(Seen(header: (try? self.header(store)) ?? [], log: FileManager.default.fileExists(atPath: store + "-wal")))
        }
        return seen
    }

    func testAnIngestIntoANewStoreWritesNoLogAndLeavesItInWALMode() throws {
        let folder = try TemporaryFolder()
        let input = folder.path("input"), store = folder.path("s.sqlite")
        try SmallDataset(steps: [10, 20, 30], coefficients: (0..<16).map(Double.init), layers: 2).write(to: input)
        let seen = try ingest(input, into: store, run: "r")
        XCTAssertEqual(seen, Array(repeating: Seen(header: [1, 1], log: false), count: 3))
        XCTAssertEqual(try header(store), [2, 2], "left in WAL mode")
        for suffix in ["-wal", "-journal"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: store + suffix), suffix)
        }
        let reopened = try Store(path: store, access: .read)
        XCTAssertEqual(try StoreCheck.run(reopened).problems, 0)
        XCTAssertEqual(try reopened.runs().map(\.checkpoints), [3])
    }

    func testAnIngestIntoAnExistingStoreWritesThroughTheLog() throws {
        let folder = try TemporaryFolder()
        let input = folder.path("input"), store = folder.path("s.sqlite")
        try SmallDataset(steps: [10, 20], coefficients: (0..<16).map(Double.init), layers: 2).write(to: input)
        _ = try Store(path: store, access: .create)
        let seen = try ingest(input, into: store, run: "r")
        XCTAssertEqual(seen, Array(repeating: Seen(header: [2, 2], log: true), count: 2))
        XCTAssertEqual(try StoreCheck.run(Store(path: store, access: .read)).problems, 0)
    }

    /// Without the log a writer that has begun must keep readers out from the start: a reader's
    /// shared lock would keep it from writing any page to the file before the commit, so the whole
    /// ingest would wait in memory. A reader arriving meanwhile is told the store is busy.
    func testAReaderArrivingDuringTheIngestOfANewStoreIsKeptOut() throws {
        let folder = try TemporaryFolder()
        let input = folder.path("input"), store = folder.path("s.sqlite")
        try SmallDataset(steps: [10, 20], coefficients: (0..<16).map(Double.init), layers: 1).write(to: input)
        var readerErrors: [String] = []
        _ = try Ingest.run(IngestRequest(path: input, run: "r"), storePath: store) { _, _ in
            do {
                let reader = try Connection(path: store, access: .readOnly, busyTimeoutMilliseconds: 0)
                _ = try reader.scalar("SELECT count(*) FROM run")
                readerErrors.append("read")
            } catch let error as SQLiteError {
                readerErrors.append(error.isBusy ? "busy" : "\(error)")
            } catch {
                readerErrors.append("\(error)")
            }
        }
        XCTAssertEqual(readerErrors, ["busy", "busy"])
        XCTAssertEqual(try Store(path: store, access: .read).runs().map(\.checkpoints), [2], "the reader is let in after the commit")
    }
}
