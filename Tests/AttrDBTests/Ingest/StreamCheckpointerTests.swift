import Dispatch
import Foundation
import XCTest
@testable import AttrDB

/// A frame stream's commits are copied from the write-ahead log into the database file while the
/// stream is still open (``StreamCheckpointer``), so that its end has little left to copy and sync;
/// and the end still leaves the whole store in the database file.
final class StreamCheckpointerTests: XCTestCase {
    /// What the ingest's thread reports to the test's.
    private final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private var acknowledged = 0
        private var ended: Result<IngestSummary, Error>?

        func acknowledge() { lock.withLock { acknowledged += 1 } }
        var acks: Int { lock.withLock { acknowledged } }
        func end(_ result: Result<IngestSummary, Error>) { lock.withLock { ended = result } }
        var result: Result<IngestSummary, Error>? { lock.withLock { ended } }
    }

    private static let header = #"{"run": "r", "metric": "m", "coefficients": [-1, 0, 1], "components": ["L0H0", "0_mlp_out"]}"#

    /// Polls `condition` every 20 ms for up to `seconds`; whether it came true.
    private func eventually(within seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// The checkpoints in the database file alone, without its log: read from a copy of the file,
    /// nil when the copy is not a readable store (caught mid-checkpoint).
    private func checkpointsInTheFileAlone(_ db: String, copy: String) -> Int64? {
        try? FileManager.default.removeItem(atPath: copy)
        guard (try? FileManager.default.copyItem(atPath: db, toPath: copy)) != nil,
              let connection = try? Connection(path: copy, access: .immutable, busyTimeoutMilliseconds: 0) else { return nil }
        return try? connection.scalar("SELECT count(*) FROM attribution")?.int64
    }

    func testCommittedFramesReachTheDatabaseFileWhileTheStreamIsOpen() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        var stream = FrameStreamBuilder()
        stream.json("H", Self.header)
        for step in 0..<3 { stream.checkpoint(step: Int64(step), (0..<6).map { Float(step * 6 + $0) }) }
        var ends: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&ends), 0)
        let bytes = stream.bytes
        XCTAssertEqual(bytes.withUnsafeBytes { write(ends[1], $0.baseAddress!, bytes.count) }, bytes.count)

        let outcome = Outcome(), done = DispatchSemaphore(value: 0)
        let readEnd = ends[0]
        Thread.detachNewThread {
            let result = Result { try FrameIngest.run(descriptor: readEnd, storePath: db) { outcome.acknowledge() } }
            outcome.end(result)
            done.signal()
        }
        // The header and the three checkpoints acknowledged; the writer keeps the stream open.
        XCTAssertTrue(eventually(within: 20) { outcome.acks == 4 }, "acknowledged \(outcome.acks) of 4 frames")
        // Without the checkpointer the frames would be in the log only until the stream ends.
        let copy = folder.path("copy.sqlite")
        var found: Int64?
        XCTAssertTrue(eventually(within: 20) {
            found = checkpointsInTheFileAlone(db, copy: copy)
            return found == 3
        }, "the database file alone holds \(found.map(String.init) ?? "no readable store") of the 3 acknowledged checkpoints while the stream is open")
        XCTAssertNil(outcome.result, "the stream is still open")

        close(ends[1])
        done.wait()
        close(readEnd)
        XCTAssertEqual(try outcome.result?.get().added, 3)
        XCTAssertEqual(checkpointsInTheFileAlone(db, copy: copy), 3)
        let store = try Store(path: db, access: .read)
        XCTAssertEqual(try store.run(named: "r").status, .incomplete)
        XCTAssertEqual(try StoreCheck.run(store).problems, 0)
    }

    func testSmallCommitsAreCheckpointedAtMostOncePerInterval() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        _ = try Store(path: db, access: .create)
        let checkpointer = try XCTUnwrap(StreamCheckpointer(path: db, vfs: nil))
        defer { checkpointer.stop() }
        let started = Date()
        for _ in 0..<40 {
            checkpointer.committed(payloadBytes: 7_000)
            usleep(5_000)
        }
        let elapsed = Date().timeIntervalSince(started)
        // One at once, then at most one per interval (unthrottled, each wake-up was one: ~40).
        let bound = 1 + Int(elapsed / StreamCheckpointer.smallCommitInterval) + 1
        XCTAssertLessThanOrEqual(checkpointer.checkpointsBegun, bound, "in \(elapsed) s")
        XCTAssertGreaterThanOrEqual(checkpointer.checkpointsBegun, 1)
    }
}
