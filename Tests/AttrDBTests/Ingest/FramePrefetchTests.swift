import Dispatch
import Foundation
import XCTest
@testable import AttrDB

/// What reading frames ahead on another thread (``FramePrefetch``) could break: a frame acknowledged
/// before it is committed, an error reported before the frames ahead of it, frames after an error
/// stored, a reader blocked on an idle pipe keeping the error from being reported.
///
/// Every stream here is put into a pipe whole before the ingest starts, so the reading thread can
/// run as far ahead as its slots let it.
final class FramePrefetchTests: XCTestCase {
    /// A pipe holding `bytes`, its write end closed unless `keepOpen`; returns both ends.
    private func filledPipe(holding bytes: [UInt8], keepOpen: Bool = false) throws -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        XCTAssertEqual(pipe(&ends), 0)
        // 1 MiB, so the whole stream fits and writing it never waits for the reader.
        XCTAssertGreaterThanOrEqual(Int(fcntl(ends[1], 1031, Int32(1 << 20))), bytes.count)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(ends[1], $0.baseAddress! + written, bytes.count - written) }
            XCTAssertGreaterThan(count, 0)
            written += count
        }
        if !keepOpen { close(ends[1]) }
        return (ends[0], ends[1])
    }

    /// Ingests `bytes` from a pipe; `acknowledged(n)` is called at the n-th acknowledgement.
    private func ingest(_ bytes: [UInt8], into db: String, acknowledged: (Int) -> Void = { _ in }) throws -> (result: Result<IngestSummary, Error>, acks: Int) {
        let ends = try filledPipe(holding: bytes)
        defer { close(ends.read) }
        var acks = 0
        let result = Result { try FrameIngest.run(descriptor: ends.read, storePath: db) { acks += 1; acknowledged(acks) } }
        return (result, acks)
    }

    private func message(_ result: Result<IngestSummary, Error>) -> String? {
        if case .failure(let error) = result { return "\(error)" }
        return nil
    }

    private static let header = #"{"run": "r", "metric": "m", "coefficients": [-1, 0, 1], "components": ["L0H0", "0_mlp_out"]"#

    /// The (coefficient, component) matrix of step `step`: 6 values, distinct per step.
    private static func values(_ step: Int) -> [Float] { (0..<6).map { Float(step * 6 + $0) + 0.25 } }

    /// Each checkpoint's stored matrix, component-major, by step.
    private func stored(_ db: String) throws -> [Int: [Float]] {
        let store = try Store(path: db, access: .read)
        let precision = try store.run(named: "r").precision
        var matrices: [Int: [Float]] = [:]
        try store.connection.forEachRow("SELECT c.step, a.matrix FROM attribution a JOIN checkpoint c USING (checkpoint_id)", []) { row in
            let bytes = row.bytes(at: 1)
            matrices[row.int(at: 0)] = bytes.withUnsafeBytes { raw in
                precision == .f32
                    ? (0..<raw.count / 4).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)) }
                    : (0..<raw.count / 2).map { Float16Bits.decode(raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)) }
            }
        }
        return matrices
    }

    /// A stream of every kind of frame, read ahead while the writer commits: each `ok` comes after
    /// its frame is committed (a reader opened at the acknowledgement sees exactly the checkpoints
    /// acknowledged so far), the values are transposed, and the checksums and summaries are right —
    /// for a float32 run (digested on the reading thread) and a 16-bit one (in the recorder).
    func testEachFrameIsCommittedWhenAcknowledgedWhileLaterFramesAreReadAhead() throws {
        for precision in ["f32", "f16"] {
            let folder = try TemporaryFolder()
            let db = folder.path("s.sqlite")
            var stream = FrameStreamBuilder()
            stream.json("H", Self.header + #", "precision": "\#(precision)"}"#)
            // Checkpoints stored after n acknowledgements (n = 1: the header).
            var checkpointsBefore: [Int] = [0, 0]
            for step in 0..<6 {
                stream.json("K", #"{"step": \#(step), "sha256": "\#(String(repeating: String(step), count: 64))"}"#)
                checkpointsBefore.append(checkpointsBefore.last!)
                stream.checkpoint(step: Int64(step), Self.values(step))
                checkpointsBefore.append(checkpointsBefore.last! + 1)
                stream.json("S", #"{"step": \#(step), "values": {"loss": \#(step)}}"#)
                checkpointsBefore.append(checkpointsBefore.last!)
            }
            stream.json("R", #"{"step": 5, "norms": [{"layer": 0, "hook": "resid_pre", "norm": 2.5}]}"#)
            stream.json("W", #"{"step": 5, "norms": [[1.5, 2.5]]}"#)
            stream.json("E", #"{"complete": true}"#)
            checkpointsBefore += [6, 6, 6]
            let (result, acks) = try ingest(stream.bytes, into: db) { n in
                let values = (try? Store(path: db, access: .read).runs().first?.values) ?? -1
                XCTAssertEqual(values, 6 * checkpointsBefore[n], "\(precision): values committed at acknowledgement \(n)")
            }
            XCTAssertEqual(try result.get().added, 6, precision)
            XCTAssertEqual(acks, stream.frames.count, precision)
            let store = try Store(path: db, access: .read)
            XCTAssertEqual(try store.run(named: "r").status, .complete, precision)
            XCTAssertEqual(try StoreCheck.run(store).problems, 0, "\(precision): checksums and summaries")
            XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM checkpoint WHERE weights_sha256 IS NOT NULL")?.int64, 6)
            XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM checkpoint_stat")?.int64, 6)
            let matrices = try stored(db)
            for step in 0..<6 {
                let v = Self.values(step)  // rows are coefficients; every value is exact in f16 too
                XCTAssertEqual(matrices[step], [v[0], v[2], v[4], v[1], v[3], v[5]], "\(precision): step \(step)")
            }
        }
    }

    /// An error in frame N + 1 — of each kind the reader finds, and the recorder's non-finite
    /// values — while the frames before it are still on their way: it names frame N + 1 and its
    /// offset, comes after every frame before it is acknowledged and stored, and nothing after it is.
    func testAnErrorInALaterFrameComesAfterEveryFrameBeforeItWhatEverFollows() throws {
        func stream(_ bad: (inout FrameStreamBuilder) -> Void) -> FrameStreamBuilder {
            var s = FrameStreamBuilder()
            s.json("H", Self.header + "}")
            for step in 0..<5 { s.checkpoint(step: Int64(step), Self.values(step)) }
            bad(&s)
            // Frames after the bad one, which must not be stored (unless the bad one ended the stream).
            s.checkpoint(step: 9, Self.values(9))
            s.json("E", #"{"complete": true}"#)
            return s
        }
        let cases: [(String, FrameStreamBuilder, String)] = [
            ("NaN", stream { $0.checkpoint(step: 5, [1, 2, .nan, 4, 5, 6]) },
             "(C) at byte #: 1 non-finite values (NaN or ±Inf); the first at checkpoint_step 5, coefficient 0.0, component L0H0. Nothing was stored; use --allow-nonfinite to store them"),
            ("bad JSON", stream { $0.json("S", #"{"step": 5, "values": {"loss": "high"}}"#) },
             "(S) at byte #: key 'values.loss': expected a number or null, found the string 'high'"),
            ("unknown kind", stream { $0.json("X", "{}") },
             "at byte #: expected a frame kind (H, C, S, R, W, K, G, E), found the byte 0x58"),
            ("wrong length", stream { $0.checkpoint(step: 5, [1, 2, 3]) },
             "(C) at byte #: expected a payload of 8 + 4 × coefficients × components = 32 bytes, found a length of 20"),
            ("second header", stream { $0.json("H", Self.header + "}") },
             "(H) at byte #: expected one header frame, the first, found a second header"),
        ]
        for (name, s, expected) in cases {
            let folder = try TemporaryFolder()
            let db = folder.path("s.sqlite")
            let (result, acks) = try ingest(s.bytes, into: db)
            XCTAssertEqual(message(result), "-: frame 6 " + expected.replacingOccurrences(of: "#", with: "\(s.frames[6].offset)"), name)
            XCTAssertEqual(acks, 6, "\(name): the header and the five checkpoints before the error")
            XCTAssertEqual(try stored(db).keys.sorted(), [0, 1, 2, 3, 4], name)
            XCTAssertEqual(try Store(path: db, access: .read).run(named: "r").status, .incomplete, name)
        }
    }

    /// A conflict in frame N + 1 (a stored step with other values) with frame N stored: exit 4's
    /// kind, the frame's offset, frames up to N kept as they were, nothing after it stored.
    func testAConflictInTheNextFrameKeepsTheFrameBeforeAndNothingAfter() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        var stream = FrameStreamBuilder()
        stream.json("H", Self.header + "}")
        stream.checkpoint(step: 0, Self.values(0))
        stream.checkpoint(step: 1, Self.values(1))
        stream.checkpoint(step: 1, Self.values(7))
        stream.checkpoint(step: 2, Self.values(2))
        stream.json("E", #"{"complete": true}"#)
        let (result, acks) = try ingest(stream.bytes, into: db)
        guard case .failure(let error as IngestError) = result else { return XCTFail("accepted a conflict") }
        XCTAssertEqual(error.kind, .conflict)
        XCTAssertEqual("\(error)", "-: frame 3 (C) at byte \(stream.frames[3].offset): checkpoint 1 of r/default/m is already stored with different values (first difference: component L0H0, coefficient -1.0: stored 6.25, input 42.25); use --replace to overwrite")
        XCTAssertEqual(acks, 3)
        let matrices = try stored(db)
        XCTAssertEqual(matrices.keys.sorted(), [0, 1])
        let v = Self.values(1)
        XCTAssertEqual(matrices[1], [v[0], v[2], v[4], v[1], v[3], v[5]], "frame 2's values, not frame 3's")
        XCTAssertEqual(try Store(path: db, access: .read).run(named: "r").status, .incomplete)
    }

    /// The writer of the stream keeps its end open, waiting for the answer (as the Python recorder
    /// does): an error must be reported then, not once the writer gives up. The reading thread is
    /// blocked in `read` on the idle pipe; stopping it must not wait for input that never comes.
    func testAnErrorIsReportedWhileTheWriterKeepsThePipeOpen() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        var stream = FrameStreamBuilder()
        stream.json("H", Self.header + "}")
        stream.checkpoint(step: 0, Self.values(0))
        stream.checkpoint(step: 0, Self.values(1))
        let ends = try filledPipe(holding: stream.bytes, keepOpen: true)
        defer { close(ends.read) }
        // The writer gives up after 20 s: then the ingest would end anyway, too late.
        let release = DispatchSemaphore(value: 0), closed = DispatchSemaphore(value: 0)
        let writeEnd = ends.write
        DispatchQueue.global().async {
            _ = release.wait(timeout: .now() + 20)
            close(writeEnd)
            closed.signal()
        }
        let started = Date()
        var acks = 0
        let result = Result { try FrameIngest.run(descriptor: ends.read, storePath: db) { acks += 1 } }
        let seconds = Date().timeIntervalSince(started)
        release.signal()
        closed.wait()
        guard case .failure(let error as IngestError) = result else { return XCTFail("accepted a conflict") }
        XCTAssertEqual(error.kind, .conflict)
        XCTAssertEqual(acks, 2)
        XCTAssertLessThan(seconds, 10, "the error waited for the writer to close the pipe")
    }

    /// A stream with one frame of every kind, cut at every byte and given through a pipe: each whole
    /// frame before the cut is stored and acknowledged, the cut one named with where input ended.
    func testAStreamOfEveryKindCutAtEveryByteThroughAPipe() throws {
        var stream = FrameStreamBuilder()
        stream.json("H", Self.header + "}")
        stream.json("K", #"{"step": 3, "sha256": "\#(String(repeating: "a", count: 64))"}"#)
        stream.checkpoint(step: 3, Self.values(3))
        stream.json("S", #"{"step": 3, "values": {"loss": 0.5}}"#)
        stream.json("R", #"{"step": 3, "norms": [{"layer": 0, "hook": "resid_pre", "norm": 2.5}]}"#)
        stream.json("W", #"{"step": 3, "norms": [[1.5, 2.5]]}"#)
        stream.json("E", #"{"complete": true}"#)
        let folder = try TemporaryFolder()
        for cut in 9..<stream.bytes.count {
            let db = folder.path("s\(cut).sqlite")
            let (result, acks) = try ingest(Array(stream.bytes[0..<cut]), into: db)
            let whole = stream.frames.filter { $0.offset + 16 + $0.length <= cut }
            XCTAssertEqual(acks, whole.count, "cut at \(cut)")
            if let (number, frame) = stream.frames.enumerated().first(where: { $0.element.offset < cut && cut < $0.element.offset + 16 + $0.element.length }) {
                let place = "-: frame \(number) (\(frame.kind)) at byte \(frame.offset): "
                XCTAssertEqual(message(result), cut - frame.offset < 16
                    ? place + "expected a 16-byte frame header (kind, 7 zero bytes, length), found end of input at byte \(cut) (the stream is truncated)"
                    : place + "expected a payload of \(frame.length) bytes, found end of input at byte \(cut) after \(cut - frame.offset - 16) (the stream is truncated)", "cut at \(cut)")
            } else {
                XCTAssertNil(message(result), "cut at \(cut): between frames")
            }
            guard !whole.isEmpty else {
                XCTAssertFalse(FileManager.default.fileExists(atPath: db), "cut at \(cut): a store was left behind")
                continue
            }
            let store = try Store(path: db, access: .read)
            func count(_ sql: String) throws -> Int { Int(try store.connection.scalar(sql)?.int64 ?? -1) }
            let kinds = whole.map(\.kind)
            XCTAssertEqual(try count("SELECT count(*) FROM checkpoint WHERE weights_sha256 IS NOT NULL"), kinds.contains("K") ? 1 : 0, "cut at \(cut)")
            XCTAssertEqual(try count("SELECT count(*) FROM attribution"), kinds.contains("C") ? 1 : 0, "cut at \(cut)")
            XCTAssertEqual(try count("SELECT count(*) FROM checkpoint_stat"), kinds.contains("S") ? 1 : 0, "cut at \(cut)")
            XCTAssertEqual(try count("SELECT count(*) FROM resid_norm"), kinds.contains("R") ? 1 : 0, "cut at \(cut)")
            XCTAssertEqual(try count("SELECT count(*) FROM wov_norm"), kinds.contains("W") ? 2 : 0, "cut at \(cut)")
            XCTAssertEqual(try store.run(named: "r").status, kinds.last == "E" ? .complete : .incomplete, "cut at \(cut)")
        }
    }
}
