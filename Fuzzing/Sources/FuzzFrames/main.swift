import Foundation
@testable import AttrDB
import FuzzSupport

/// A frame stream (docs/stream-format.md) through the frame reader and every payload's decoding:
/// the magic, the grammar, the bounds, truncation, the header's and statistics' JSON, a checkpoint's
/// step. Nothing is written to a store (a commit per input would fuzz SQLite's fsync, not the reader).
// Also under libFuzzer's own name, which its archive's (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrames(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = Scratch.write(fuzzInput(data, size), name: "stream.frames")
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return 0 }
    defer { close(descriptor) }
    let reader = FrameReader(descriptor: descriptor, file: path)
    do {
        try reader.readMagic()
        while let frame = try reader.next() {
            switch frame.kind {
            case .header: reader.checkpointLength = try FrameHeader.decode(frame, file: path).checkpointLength
            case .checkpoint: _ = FramePayload.step(frame)
            case .statistics: _ = try FramePayload.statistics(frame, file: path)
            case .residNorms: _ = try FramePayload.residNorms(frame, file: path)
            case .wovNorms: _ = try FramePayload.wovNorms(frame, file: path)
            case .end: _ = try FramePayload.complete(frame, file: path)
            }
        }
    } catch {}
    return 0
}

runLibFuzzer(fuzzFrames)
