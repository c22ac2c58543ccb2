@testable import AttrDB
import FuzzSupport

/// An .npz archive as ingest reads one: its member list, the `attributions` array (extracted, then
/// mapped and copied out) and the `axes` text member.
// Also under libFuzzer's own name, which its archive's (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPZ(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = Scratch.write(fuzzInput(data, size), name: "input.npz")
    guard let archive = try? NPZArchive(path: path) else { return 0 }
    _ = archive.memberNames
    _ = try? archive.string(named: "axes")
    if let array = try? archive.array(named: "attributions") {
        let count = array.coefficientCount.multipliedReportingOverflow(by: array.componentCount)
        guard !count.overflow, count.partialValue <= 1 << 22 else { return 0 }
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count.partialValue)
        defer { buffer.deallocate() }
        for c in 0..<min(array.checkpointCount, 1 << 16) { array.componentMajorSlice(checkpoint: c, into: buffer) }
    }
    return 0
}

runLibFuzzer(fuzzNPZ)
