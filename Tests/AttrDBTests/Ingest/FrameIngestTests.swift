import Foundation
import XCTest
@testable import AttrDB

/// A frame stream built byte by byte (docs/stream-format.md), remembering where each frame starts.
struct FrameStreamBuilder {
    var bytes: [UInt8] = Array("ATTRDB".utf8) + [0x00, 0x01]
    /// Each frame's start offset, kind letter and payload length.
    var frames: [(offset: Int, kind: Character, length: Int)] = []

    mutating func frame(_ kind: Character, _ payload: [UInt8]) {
        frames.append((bytes.count, kind, payload.count))
        bytes.append(kind.asciiValue!)
        bytes += [UInt8](repeating: 0, count: 7)
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { bytes += $0 }
        bytes += payload
    }

    mutating func json(_ kind: Character, _ text: String) { frame(kind, Array(text.utf8)) }

    /// A `C` frame: the step, then the (coefficient, component) matrix in C order.
    mutating func checkpoint(step: Int64, _ values: [Float]) {
        var payload: [UInt8] = []
        withUnsafeBytes(of: step.littleEndian) { payload += $0 }
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { payload += $0 } }
        frame("C", payload)
    }

    static let header = #"{"run": "r", "metric": "m", "coefficients": [-1, 0, 1], "components": ["L0H0", "0_mlp_out"]}"#

    /// Magic, header (3 coefficients × 2 components), then `checkpoints` C frames with an S frame each.
    static func small(checkpoints: Int = 2, end: Bool = true) -> FrameStreamBuilder {
        var stream = FrameStreamBuilder()
        stream.json("H", header)
        for step in 0..<checkpoints {
            stream.checkpoint(step: Int64(step * 10), (0..<6).map { Float(step * 6 + $0) + 0.5 })
            stream.json("S", #"{"step": \#(step * 10), "values": {"train_loss": \#(step).25}}"#)
        }
        if end { stream.json("E", #"{"complete": true}"#) }
        return stream
    }
}

final class FrameIngestTests: XCTestCase {
    /// Ingests `bytes` as standard input would give them; returns the summary or the error, and the acknowledgements.
    private func ingest(_ bytes: [UInt8], into db: String, expectations: FrameIngest.Expectations = .init()) throws -> (result: Result<IngestSummary, Error>, acks: Int) {
        let input = db + ".stream"
        try Data(bytes).write(to: URL(fileURLWithPath: input))
        let descriptor = open(input, O_RDONLY)
        defer { close(descriptor) }
        var acks = 0
        let result = Result { try FrameIngest.run(descriptor: descriptor, storePath: db, expectations: expectations) { acks += 1 } }
        return (result, acks)
    }

    private func message(_ result: Result<IngestSummary, Error>) -> String? {
        if case .failure(let error) = result { return "\(error)" }
        return nil
    }

    func testAStreamIsStoredTransposedWithItsStatisticsAndCompletesTheRun() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        var stream = FrameStreamBuilder()
        stream.json("H", #"{"run": "r", "metric": "m", "scan": "sweep", "coefficients": [-1, 1], "components": ["L0H0", {"label": "x", "layer": 1, "kind": "mlp"}, "embed"], "model": "2L", "task": "modadd", "config": {"lr": 0.001}, "tags": {"seed": "0"}}"#)
        stream.checkpoint(step: 7, [1, 2, 3, 4, 5, 6])  // coefficient -1: 1 2 3; coefficient 1: 4 5 6
        stream.json("R", #"{"step": 7, "norms": [{"layer": 0, "hook": "resid_pre", "norm": 2.5}]}"#)
        stream.json("W", #"{"step": 7, "norms": [[1.5, 2.5]]}"#)
        stream.json("E", #"{"complete": true}"#)
        let (result, acks) = try ingest(stream.bytes, into: db)
        let summary = try result.get()
        XCTAssertEqual(acks, 5)
        XCTAssertEqual(summary.added, 1)
        XCTAssertEqual(summary.statistics, 3)
        let store = try Store(path: db, access: .read)
        let run = try store.run(named: "r")
        XCTAssertEqual(run.status, .complete)
        XCTAssertEqual(run.model, "2L")
        XCTAssertEqual(run.task, "modadd")
        XCTAssertEqual(run.tags, ["seed": "0"])
        XCTAssertEqual(run.config, #"{"lr":0.001}"#)
        let matrix = try store.connection.scalar("SELECT matrix FROM attribution")
        guard case .blob(let blob)? = matrix else { return XCTFail("no matrix") }
        let stored = blob.withUnsafeBytes { raw in (0..<6).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) } }
        XCTAssertEqual(stored, [1, 4, 2, 5, 3, 6], "component-major: each component's coefficients together")
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM wov_norm")?.int64, 2)
        XCTAssertEqual(try store.connection.scalar("SELECT norm FROM resid_norm")?.double, 2.5)
    }

    func testEndOfInputWithoutAnEndFrameKeepsEveryFrameAndLeavesTheRunIncomplete() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let (result, acks) = try ingest(FrameStreamBuilder.small(checkpoints: 2, end: false).bytes, into: db)
        XCTAssertEqual(try result.get().added, 2)
        XCTAssertEqual(acks, 5)
        let store = try Store(path: db, access: .read)
        XCTAssertEqual(try store.run(named: "r").status, .incomplete)
        XCTAssertEqual(try store.runs().first?.checkpoints, 2)
    }

    func testAnEndFrameWithCompleteFalseLeavesTheRunIncomplete() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        var stream = FrameStreamBuilder.small(checkpoints: 1, end: false)
        stream.json("E", #"{"complete": false}"#)
        XCTAssertNoThrow(try ingest(stream.bytes, into: db).result.get())
        XCTAssertEqual(try Store(path: db, access: .read).run(named: "r").status, .incomplete)
    }

    /// Each malformed stream: the exact message, and what was committed before it stays.
    func testEachMalformedStreamIsRefusedWithTheFrameItsKindAndOffset() throws {
        let h = FrameStreamBuilder.header
        func stream(_ build: (inout FrameStreamBuilder) -> Void) -> [UInt8] {
            var s = FrameStreamBuilder()
            build(&s)
            return s.bytes
        }
        var badMagic = stream { $0.json("H", h) }
        badMagic[0] = UInt8(ascii: "X")
        var badVersion = stream { $0.json("H", h) }
        badVersion[7] = 2
        var reserved = stream { $0.json("H", h) }
        reserved[8 + 3] = 1
        // 8 (magic) + 16 + header payload: where frame 1 starts.
        let one = 8 + 16 + h.utf8.count
        let cases: [(String, [UInt8], String, Int)] = [
            ("bad magic", badMagic, "-: byte 0: expected the magic \"ATTRDB\" 0x00 followed by format version 0x01, found the bytes 58 54 54 52 44 42 00 01", 0),
            ("version", badVersion, "-: byte 7: expected format version 1 (0x01), found version 2; this attrdb reads version 1", 0),
            ("empty", [], "-: byte 0: expected the magic \"ATTRDB\" 0x00 followed by format version 0x01, found an empty stream", 0),
            ("magic only", Array(badVersion[0..<7]) + [1], "-: byte 8: expected the header frame (H), found end of input", 0),
            ("reserved", reserved, "-: frame 0 (H) at byte 8: expected zero reserved bytes, found 0x01 at byte 11", 0),
            ("unknown kind", stream { $0.json("H", h); $0.json("X", "{}") }, "-: frame 1 at byte \(one): expected a frame kind (H, C, S, R, W, K, G, E), found the byte 0x58", 1),
            ("header not first", stream { $0.json("S", #"{"step": 1, "values": {}}"#) }, "-: frame 0 (S) at byte 8: expected the header frame (H) first, found a S frame", 0),
            ("second header", stream { $0.json("H", h); $0.json("H", h) }, "-: frame 1 (H) at byte \(one): expected one header frame, the first, found a second header", 1),
            ("missing run", stream { $0.json("H", #"{"metric": "m", "coefficients": [0], "components": ["L0H0"]}"#) }, "-: frame 0 (H) at byte 8: key 'run': expected the key 'run' (a non-empty string), found no such key", 0),
            ("missing components", stream { $0.json("H", #"{"run": "r", "metric": "m", "coefficients": [0]}"#) }, "-: frame 0 (H) at byte 8: key 'components': expected the key 'components' (a list), found no such key", 0),
            ("bad component", stream { $0.json("H", #"{"run": "r", "metric": "m", "coefficients": [0], "components": ["L0H0", "nonsense"]}"#) }, "-: frame 0 (H) at byte 8: key 'components[1]': expected a TransformerLens label (embed, pos_embed, L{l}H{h}, {l}_mlp_out, L{l}N{n}, bias) or an object with label, layer and kind, found 'nonsense'", 0),
            ("duplicate coefficient", stream { $0.json("H", #"{"run": "r", "metric": "m", "coefficients": [0, 0], "components": ["L0H0"]}"#) }, "-: frame 0 (H) at byte 8: key 'coefficients[1]': expected distinct coefficients, found 0.0 again (first at index 0)", 0),
            ("unknown key", stream { $0.json("H", #"{"run": "r", "metric": "m", "coefficients": [0], "components": ["L0H0"], "allow_non_finite": true}"#) }, "-: frame 0 (H) at byte 8: key 'allow_non_finite': expected only the keys allow_nonfinite, coefficients, components, config, metric, model, precision, replace, run, scan, tags, task, found the key 'allow_non_finite'", 0),
            ("unknown precision", stream { $0.json("H", #"{"run": "r", "metric": "m", "coefficients": [0], "components": ["L0H0"], "precision": "f8"}"#) }, #"-: frame 0 (H) at byte 8: key 'precision': expected "f32", "f16", "bf16" or null, found 'f8'"#, 0),
            ("not JSON", stream { $0.json("H", "{\"run\": ") }, "-: frame 0 (H) at byte 8: expected a JSON object, found text that is not JSON (unexpected end of input at byte 32)", 0),
            ("C of wrong length", stream { $0.json("H", h); $0.checkpoint(step: 1, [1, 2, 3, 4, 5]) }, "-: frame 1 (C) at byte \(one): expected a payload of 8 + 4 × coefficients × components = 32 bytes, found a length of 28", 1),
            ("JSON too long", stream { $0.json("H", h); $0.bytes += [UInt8(ascii: "S")] + [UInt8](repeating: 0, count: 7) + [0, 0, 0, 0, 1, 0, 0, 0] }, "-: frame 1 (S) at byte \(one): expected a JSON payload of at most 67108864 bytes (64 MiB), found a length of 4294967296", 1),
            ("bad hook", stream { $0.json("H", h); $0.json("R", #"{"step": 1, "norms": [{"layer": 0, "hook": "attn", "norm": 1}]}"#) }, "-: frame 1 (R) at byte \(one): key 'norms[0].hook': expected 'resid_pre' or 'resid_post', found the string 'attn'", 1),
            ("E then more", stream { $0.json("H", h); $0.json("E", #"{"complete": true}"#); $0.json("S", "{}") }, "-: frame 2 at byte \(one + 16 + 18): expected nothing after the end frame (E), found at least 16 more bytes", 2),
            ("NaN", stream { $0.json("H", h); $0.checkpoint(step: 1, [1, 2, 3, 4, 5, 6]); $0.checkpoint(step: 2, [1, .nan, 3, 4, 5, 6]) }, "-: frame 2 (C) at byte \(one + 48): 1 non-finite values (NaN or ±Inf); the first at checkpoint_step 2, coefficient -1.0, component 0_mlp_out. Nothing was stored; use --allow-nonfinite to store them", 2),
        ]
        for (name, bytes, expected, acks) in cases {
            let folder = try TemporaryFolder()
            let db = folder.path("s.sqlite")
            let (result, acknowledged) = try ingest(bytes, into: db)
            XCTAssertEqual(message(result), expected, name)
            XCTAssertEqual(acknowledged, acks, name)
            if acks == 0 {
                XCTAssertFalse(FileManager.default.fileExists(atPath: db), "\(name): a store was left behind")
            } else {
                let store = try Store(path: db, access: .read)
                // Whatever was acknowledged is stored: the header, and frame 1 when it was a checkpoint.
                XCTAssertEqual(try store.runs().first?.checkpoints, name == "NaN" ? 1 : 0, name)
                XCTAssertEqual(try store.run(named: "r").status, name == "E then more" ? .complete : .incomplete, name)
            }
        }
    }

    func testAConflictingCheckpointIsAConflictAndKeepsTheFramesBefore() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        var stream = FrameStreamBuilder.small(checkpoints: 1, end: false)
        stream.checkpoint(step: 0, [9, 9, 9, 9, 9, 9])
        let (result, acks) = try ingest(stream.bytes, into: db)
        guard case .failure(let error as IngestError) = result else { return XCTFail("accepted a conflict") }
        XCTAssertEqual(error.kind, .conflict)
        XCTAssertEqual("\(error)", "-: frame 3 (C) at byte \(stream.frames[3].offset): checkpoint 0 of r/default/m is already stored with different values (first difference: component L0H0, coefficient -1.0: stored 0.5, input 9.0); use --replace to overwrite")
        XCTAssertEqual(acks, 3)
        let store = try Store(path: db, access: .read)
        XCTAssertEqual(try store.runs().first?.values, 6)
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM checkpoint_stat")?.int64, 1)
        // The same stream again with replace in the header overwrites it.
        var replacing = FrameStreamBuilder()
        replacing.json("H", FrameStreamBuilder.header.replacingOccurrences(of: "}", with: #", "replace": true}"#))
        replacing.checkpoint(step: 0, [9, 9, 9, 9, 9, 9])
        XCTAssertEqual(try ingest(replacing.bytes, into: db).result.get().replaced, 1)
    }

    func testTheCommandLinesRunMustMatchTheHeaders() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let (result, _) = try ingest(FrameStreamBuilder.small().bytes, into: db, expectations: .init(run: "other"))
        XCTAssertEqual(message(result), "-: frame 0 (H) at byte 8: expected --run 'other', as the command line says, found 'r' in the header")
        XCTAssertFalse(FileManager.default.fileExists(atPath: db))
    }

    /// A stream cut at every byte: the exact message naming the frame and where input ended, each
    /// whole frame before the cut kept, nothing of the cut one.
    func testAStreamTruncatedAtEveryByteKeepsEachWholeFrameAndNothingHalfWritten() throws {
        let stream = FrameStreamBuilder.small(checkpoints: 2)
        let folder = try TemporaryFolder()
        for cut in 0..<stream.bytes.count {
            let db = folder.path("s\(cut).sqlite")
            let (result, acks) = try ingest(Array(stream.bytes[0..<cut]), into: db)
            // Frames wholly before the cut.
            let whole = stream.frames.filter { $0.offset + 16 + $0.length <= cut }
            XCTAssertEqual(acks, whole.count, "cut at \(cut)")
            let current = stream.frames.enumerated().first { $0.element.offset <= cut && cut < $0.element.offset + 16 + $0.element.length }
            let expected: String?
            if cut < 7 {
                expected = "-: byte 0: expected the magic \"ATTRDB\" 0x00 followed by format version 0x01, found "
                    + (cut == 0 ? "an empty stream" : "the bytes \(stream.bytes[0..<cut].map { String(format: "%02x", $0) }.joined(separator: " ")) and then end of input")
            } else if cut == 7 {
                expected = "-: byte 7: expected the magic \"ATTRDB\" 0x00 followed by format version 0x01, found end of input at byte 7"
            } else if cut == 8 {
                expected = "-: byte 8: expected the header frame (H), found end of input"
            } else if let (number, frame) = current, cut > frame.offset {
                let place = "-: frame \(number) (\(frame.kind)) at byte \(frame.offset): "
                expected = cut - frame.offset < 16
                    ? place + "expected a 16-byte frame header (kind, 7 zero bytes, length), found end of input at byte \(cut) (the stream is truncated)"
                    : place + "expected a payload of \(frame.length) bytes, found end of input at byte \(cut) after \(cut - frame.offset - 16) (the stream is truncated)"
            } else {
                expected = nil  // a cut between frames is a clean end of input
            }
            XCTAssertEqual(message(result), expected, "cut at \(cut)")
            if whole.isEmpty {
                XCTAssertFalse(FileManager.default.fileExists(atPath: db), "cut at \(cut): a store was left behind")
                continue
            }
            let store = try Store(path: db, access: .read)
            let checkpoints = whole.filter { $0.kind == "C" }.count
            XCTAssertEqual(try store.runs().first?.values, checkpoints * 6, "cut at \(cut)")
            XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM checkpoint_stat")?.int64, Int64(whole.filter { $0.kind == "S" }.count), "cut at \(cut)")
            XCTAssertEqual(try store.run(named: "r").status, whole.last?.kind == "E" ? .complete : .incomplete, "cut at \(cut)")
        }
    }

    // MARK: - Groups (G frames)

    /// A stream with two groups: G{K, S, C step 0}, G{S, C step 10}, then E.
    private static func grouped() -> FrameStreamBuilder {
        var stream = FrameStreamBuilder()
        stream.json("H", FrameStreamBuilder.header)
        stream.json("G", #"{"frames": 3}"#)
        stream.json("K", #"{"step": 0, "sha256": "\#(String(repeating: "ab", count: 32))"}"#)
        stream.json("S", #"{"step": 0, "values": {"train_loss": 0.5}}"#)
        stream.checkpoint(step: 0, [1, 2, 3, 4, 5, 6])
        stream.json("G", #"{"frames": 2}"#)
        stream.json("S", #"{"step": 10, "values": {"train_loss": 0.25}}"#)
        stream.checkpoint(step: 10, [6, 5, 4, 3, 2, 1])
        stream.json("E", #"{"complete": true}"#)
        return stream
    }

    func testAGroupIsStoredWithEveryFrameAcknowledged() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let (result, acks) = try ingest(Self.grouped().bytes, into: db)
        XCTAssertEqual(try result.get().added, 2)
        XCTAssertEqual(acks, 9, "one ok per frame, the G frames' included")
        let store = try Store(path: db, access: .read)
        XCTAssertEqual(try store.run(named: "r").status, .complete)
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM checkpoint_stat")?.int64, 2)
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM checkpoint WHERE weights_sha256 IS NOT NULL")?.int64, 1)
    }

    /// A conflict in a group's statistics leaves the group's matrix unstored, and the frames
    /// committed before the group stay.
    func testAConflictInAGroupLeavesNothingOfTheGroup() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        var stream = FrameStreamBuilder()
        stream.json("H", FrameStreamBuilder.header)
        stream.json("S", #"{"step": 0, "values": {"train_loss": 1}}"#)
        stream.json("G", #"{"frames": 3}"#)
        stream.checkpoint(step: 0, [1, 2, 3, 4, 5, 6])
        stream.json("R", #"{"step": 0, "norms": [{"layer": 0, "hook": "resid_pre", "norm": 2.5}]}"#)
        stream.json("S", #"{"step": 0, "values": {"train_loss": 2}}"#)
        let (result, acks) = try ingest(stream.bytes, into: db)
        guard case .failure(let error as IngestError) = result else { return XCTFail("accepted a conflict") }
        XCTAssertEqual(error.kind, .conflict)
        XCTAssertTrue("\(error)".hasPrefix("-: frame 5 (S) at byte \(stream.frames[5].offset): "), "\(error)")
        XCTAssertEqual(acks, 2, "the header and the S frame before the group")
        let store = try Store(path: db, access: .read)
        XCTAssertEqual(try store.runs().first?.values, 0)
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM attribution")?.int64, 0)
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM resid_norm")?.int64, 0)
        XCTAssertEqual(try store.connection.scalar("SELECT value FROM checkpoint_stat")?.double, 1)
    }

    func testEachMalformedGroupIsRefusedAndLeavesNothingOfIt() throws {
        let h = FrameStreamBuilder.header
        func stream(_ build: (inout FrameStreamBuilder) -> Void) -> FrameStreamBuilder {
            var s = FrameStreamBuilder()
            s.json("H", h)
            build(&s)
            return s
        }
        let values: [Float] = [1, 2, 3, 4, 5, 6]
        let zero = stream { $0.json("G", #"{"frames": 0}"#) }
        let huge = stream { $0.json("G", #"{"frames": 65537}"#) }
        let other = stream { $0.json("G", #"{"frames": 1, "step": 3}"#) }
        let nested = stream { $0.json("G", #"{"frames": 2}"#); $0.checkpoint(step: 0, values); $0.json("G", #"{"frames": 1}"#) }
        let ended = stream { $0.json("G", #"{"frames": 2}"#); $0.checkpoint(step: 0, values); $0.json("E", #"{"complete": true}"#) }
        let cut = stream { $0.json("G", #"{"frames": 2}"#); $0.checkpoint(step: 0, values) }
        func at(_ s: FrameStreamBuilder, _ frame: Int) -> String { "frame \(frame) (\(s.frames[frame].kind)) at byte \(s.frames[frame].offset)" }
        let cases: [(String, FrameStreamBuilder, String)] = [
            ("zero", zero, "-: \(at(zero, 1)): key 'frames': expected a count of frames from 1 to 65536, found 0"),
            ("huge", huge, "-: \(at(huge, 1)): key 'frames': expected a count of frames from 1 to 65536, found 65537"),
            ("other key", other, "-: \(at(other, 1)): key 'step': expected only the keys frames, found the key 'step'"),
            ("G in a group", nested, "-: \(at(nested, 3)): expected frame 2 of the 2 grouped by the G frame at \(at(nested, 1)) (C, S, R, W or K), found a G frame"),
            ("E in a group", ended, "-: \(at(ended, 3)): expected frame 2 of the 2 grouped by the G frame at \(at(ended, 1)) (C, S, R, W or K), found a E frame"),
            ("cut group", cut, "-: \(at(cut, 1)): expected 2 grouped frames, found end of input at byte \(cut.bytes.count) after 1 (the stream is truncated; nothing of the group is stored)"),
        ]
        for (name, stream, expected) in cases {
            let folder = try TemporaryFolder()
            let db = folder.path("s.sqlite")
            let (result, acks) = try ingest(stream.bytes, into: db)
            XCTAssertEqual(message(result), expected, name)
            XCTAssertEqual(acks, 1, "\(name): only the header")
            let store = try Store(path: db, access: .read)
            XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM attribution")?.int64, 0, name)
            XCTAssertEqual(try store.run(named: "r").status, .incomplete, name)
        }
    }

    /// A grouped stream cut on each frame's boundaries, inside its head and inside its payload: a
    /// group is acknowledged and stored only when all of it arrived; a cut between two frames of a
    /// group names the group.
    func testAGroupedStreamTruncatedAnywhereKeepsWholeGroupsOnly() throws {
        let stream = Self.grouped()
        // Frame indices of each transaction: the header, the two groups, the end.
        let units = [[0], [1, 2, 3, 4], [5, 6, 7], [8]]
        let folder = try TemporaryFolder()
        let end = { (frame: Int) in stream.frames[frame].offset + 16 + stream.frames[frame].length }
        // From the header's end on (the cuts before it are the ungrouped stream's test); every byte
        // is the ungrouped test's, at 400 stores: here the places where the outcome can differ.
        var cuts = Set<Int>()
        for frame in stream.frames.dropFirst() {
            let start: Int = frame.offset
            cuts.formUnion([start, start + 1, start + 15, start + 16, start + 16 + frame.length / 2])
        }
        for cutAt in cuts.sorted() {
            let db = folder.path("s\(cutAt).sqlite")
            let (result, acks) = try ingest(Array(stream.bytes[0..<cutAt]), into: db)
            let whole = units.filter { end($0.last!) <= cutAt }
            let groups = Int64(min(whole.count - 1, 2))
            XCTAssertEqual(acks, whole.reduce(0) { $0 + $1.count }, "cut at \(cutAt)")
            let store = try Store(path: db, access: .read)
            XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM attribution")?.int64, groups, "cut at \(cutAt)")
            XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM checkpoint_stat")?.int64, groups, "cut at \(cutAt)")
            // A cut on a frame boundary inside a group: the group's own message.
            if let unit = units.first(where: { $0.count > 1 && $0.dropLast().contains { end($0) == cutAt } }) {
                XCTAssertEqual(message(result)?.hasSuffix("(the stream is truncated; nothing of the group is stored)"), true, "cut at \(cutAt)")
                XCTAssertEqual(message(result)?.hasPrefix("-: frame \(unit[0]) (G)"), true, "cut at \(cutAt)")
            }
        }
    }
}
