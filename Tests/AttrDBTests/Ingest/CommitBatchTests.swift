import Foundation
import XCTest
@testable import AttrDB

/// A checkpoint frame already read when the one before it reaches its commit joins that commit
/// (``CommitBatch``): fewer commits, and still no `ok` before its frame is committed and no
/// refusable frame in another frame's commit.
final class CommitBatchTests: XCTestCase {
    /// Ingests `stream` from a pipe holding all of it; `acknowledged(n)` at the n-th `ok`. The
    /// second `ok` (the first frame after the header: the reading thread starts after the header's)
    /// waits 0.5 s, so the reading thread has the frames after it ready by the next commit.
    private func ingest(_ stream: FrameStreamBuilder, into db: String, acknowledged: (Int) -> Void) throws -> (Result<IngestSummary, Error>, Int) {
        var ends: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&ends), 0)
        XCTAssertGreaterThanOrEqual(Int(fcntl(ends[1], 1031, Int32(1 << 20))), stream.bytes.count)
        XCTAssertEqual(stream.bytes.withUnsafeBytes { write(ends[1], $0.baseAddress!, stream.bytes.count) }, stream.bytes.count)
        close(ends[1])
        defer { close(ends[0]) }
        var acks = 0
        let result = Result {
            try FrameIngest.run(descriptor: ends[0], storePath: db) {
                acks += 1
                if acks == 2 { usleep(500_000) }
                acknowledged(acks)
            }
        }
        return (result, acks)
    }

    private static func values(_ step: Int) -> [Float] { (0..<6).map { Float(step * 6 + $0) + 0.5 } }

    private func storedCheckpoints(_ db: String) -> Int64 {
        (try? Store(path: db, access: .read).connection.scalar("SELECT count(*) FROM attribution")?.int64) ?? -1
    }

    func testACheckpointWaitingJoinsTheCommitOfTheOneBefore() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        var stream = FrameStreamBuilder()
        stream.json("H", FrameStreamBuilder.header)
        for step in 0..<8 { stream.checkpoint(step: Int64(step), Self.values(step)) }
        stream.json("E", #"{"complete": true}"#)
        var storedAt: [Int: Int64] = [:]
        let (result, acks) = try ingest(stream, into: db) { storedAt[$0] = storedCheckpoints(db) }
        XCTAssertEqual(try result.get().added, 8)
        XCTAssertEqual(acks, 10)
        // Acknowledgement n (n ≥ 2) is checkpoint n - 2's: it and every one before it are committed.
        for n in 2...9 {
            XCTAssertGreaterThanOrEqual(storedAt[n] ?? -1, Int64(n - 1), "checkpoints committed at acknowledgement \(n)")
        }
        // After the wait, the next checkpoint's commit found the one after it waiting and stored both:
        // at its `ok` more checkpoints are committed than acknowledged.
        XCTAssertTrue((3...9).contains { (storedAt[$0] ?? -1) >= Int64($0) },
                      "checkpoints committed at each ok: \((2...9).map { storedAt[$0] ?? -1 })")
        XCTAssertTrue((2...9).allSatisfy { (storedAt[$0] ?? 99) <= Int64($0 - 1 + CommitBatch.maxFrames - 1) }, "at most \(CommitBatch.maxFrames) frames a commit")
        let store = try Store(path: db, access: .read)
        XCTAssertEqual(try StoreCheck.run(store).problems, 0)
        XCTAssertEqual(try store.run(named: "r").status, .complete)
    }

    /// A waiting checkpoint that would be refused (non-finite values; a step stored already) is
    /// not joined: the frame before it is committed and acknowledged alone, then it is refused.
    /// (The wait at the first checkpoint's `ok` makes the refused one wait at the second's commit.)
    func testAWaitingCheckpointThatWouldBeRefusedDoesNotJoin() throws {
        for (name, bad) in [("NaN", { (s: inout FrameStreamBuilder) in s.checkpoint(step: 1, [1, .nan, 3, 4, 5, 6]) }),
                            ("conflict", { (s: inout FrameStreamBuilder) in s.checkpoint(step: 0, Self.values(5)) })] {
            let folder = try TemporaryFolder()
            let db = folder.path("s.sqlite")
            var stream = FrameStreamBuilder()
            stream.json("H", FrameStreamBuilder.header)
            stream.checkpoint(step: 0, Self.values(0))
            stream.checkpoint(step: 2, Self.values(2))
            bad(&stream)
            stream.json("E", #"{"complete": true}"#)
            var storedAt: [Int: Int64] = [:]
            let (result, acks) = try ingest(stream, into: db) { storedAt[$0] = storedCheckpoints(db) }
            guard case .failure(let error) = result else { XCTFail("\(name): accepted"); continue }
            XCTAssertTrue("\(error)".contains("frame 3 (C) at byte \(stream.frames[3].offset)"), "\(name): \(error)")
            XCTAssertEqual(acks, 3, "\(name): the header and the checkpoints before the refused one")
            XCTAssertEqual(storedAt[3], 2, name)
            XCTAssertEqual(storedCheckpoints(db), 2, name)
        }
    }
}
