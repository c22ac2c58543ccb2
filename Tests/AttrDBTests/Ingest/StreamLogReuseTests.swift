import Foundation
import XCTest
@testable import AttrDB

/// A frame stream's log is reset and written again from its start in the middle of the stream
/// (pages the kernel already holds), not truncated and grown again, and the stream's end still
/// leaves no log behind.
final class StreamLogReuseTests: XCTestCase {
    private func logSize(_ db: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: db + "-wal"))?[.size] as? NSNumber)?.intValue ?? 0
    }

    func testAStreamsCheckpointKeepsTheLogAndTheNextCommitOverwritesItFromTheStart() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let store = try Store(path: db, access: .create)
        try store.connection.execute("CREATE TABLE scratch (data BLOB)")
        try store.beginStream()
        for _ in 0..<3 {
            let transaction = try store.beginWrite()
            try store.connection.run("INSERT INTO scratch VALUES (zeroblob(1000000))")
            try store.commit(transaction, checkpoint: false)
        }
        let grown = logSize(db)
        XCTAssertGreaterThan(grown, 3_000_000, "three commits of 1 MB are in the log")

        store.checkpointStream()
        XCTAssertEqual(logSize(db), grown, "the checkpoint keeps the log file (a truncating one leaves 0 bytes)")
        let transaction = try store.beginWrite()
        try store.connection.run("INSERT INTO scratch VALUES (zeroblob(500000))")
        try store.commit(transaction, checkpoint: false)
        XCTAssertEqual(logSize(db), grown, "the next commit is written over the log's start, not after its end")

        store.endStream()
        XCTAssertEqual(logSize(db), 0, "the stream's end empties the log")
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM scratch")?.int64, 4)
    }

    /// 8 frames of 4 MiB: without a reset the log holds all 32 MiB of them and their pages. (In a
    /// debug build the checkpointer thread often catches up and resets it too; the case above is the
    /// one that fails when the stream's own checkpoint truncates.)
    func testALongStreamsLogStaysBelowWhatItCommitted() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let coefficients = 64, components = 16_384
        var stream = FrameStreamBuilder()
        let labels = (0..<components).map { "\"L0N\($0)\"" }.joined(separator: ", ")
        stream.json("H", #"{"run": "r", "metric": "m", "coefficients": [\#((0..<coefficients).map(String.init).joined(separator: ", "))], "components": [\#(labels)]}"#)
        let frames = 8
        for step in 0..<frames {
            var payload: [UInt8] = []
            withUnsafeBytes(of: Int64(step).littleEndian) { payload += $0 }
            // 0x3F3F3F3F and its neighbours: finite floats near 0.75, different in every frame.
            payload += [UInt8](repeating: 0x3F, count: coefficients * components * 4)
            payload[8] = UInt8(step)
            stream.frame("C", payload)
        }
        stream.json("E", #"{"complete": true}"#)
        let committed = frames * coefficients * components * 4
        XCTAssertGreaterThanOrEqual(committed, 2 * StreamCheckpointer.writerCheckpointBytes)

        var ends: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&ends), 0)
        let bytes = stream.bytes
        let writeEnd = ends[1]
        let writer = Thread {
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { write(writeEnd, $0.baseAddress! + offset, bytes.count - offset) }
                if n <= 0 { break }
                offset += n
            }
            close(writeEnd)
        }
        writer.start()
        var largestLog = 0, acknowledged = 0
        let summary = try FrameIngest.run(descriptor: ends[0], storePath: db) {
            acknowledged += 1
            largestLog = max(largestLog, logSize(db))
        }
        close(ends[0])
        XCTAssertEqual(summary.added, frames)
        XCTAssertEqual(acknowledged, frames + 2)
        XCTAssertLessThan(largestLog, committed * 3 / 4, "the log was reset in the middle of the stream: its largest \(largestLog) bytes for \(committed) committed")
        XCTAssertEqual(logSize(db), 0, "the stream's end leaves no log behind")
        let store = try Store(path: db, access: .read)
        XCTAssertEqual(try store.run(named: "r").status, .complete)
        XCTAssertEqual(try StoreCheck.run(store).problems, 0)
    }
}
