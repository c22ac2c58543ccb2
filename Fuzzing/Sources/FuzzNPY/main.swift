@testable import AttrDB
import FuzzSupport

/// A whole .npy read as ingest does it: mapped from a file, then every checkpoint copied out
/// component-major (the transpose, the dtype conversions, Fortran order).
// Also under libFuzzer's own name, which its archive's (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = Scratch.write(fuzzInput(data, size), name: "attributions.npy")
    guard let array = try? NPYArray(path: path) else { return 0 }
    // Inputs whose data fits the file (NPYArray checked that) but not a sensible matrix are skipped:
    // the fuzzer's max_len keeps real ones small.
    let count = array.coefficientCount.multipliedReportingOverflow(by: array.componentCount)
    guard !count.overflow, count.partialValue <= 1 << 22 else { return 0 }
    let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count.partialValue)
    defer { buffer.deallocate() }
    for c in 0..<min(array.checkpointCount, 1 << 16) { array.componentMajorSlice(checkpoint: c, into: buffer) }
    return 0
}

runLibFuzzer(fuzzNPY)
