@testable import AttrDB

/// Copies every checkpoint of `array` out component-major, as ingest does (the transpose, the dtype
/// conversions, Fortran order). Arrays whose data fits the file (NPYArray checked that) but not a
/// sensible matrix are skipped: the fuzzer's max_len keeps real ones small.
public func copyOutEveryCheckpoint(_ array: NPYArray) {
    let count = array.coefficientCount.multipliedReportingOverflow(by: array.componentCount)
    guard !count.overflow, count.partialValue <= 1 << 22 else { return }
    let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count.partialValue)
    defer { buffer.deallocate() }
    for c in 0..<min(array.checkpointCount, 1 << 16) { array.componentMajorSlice(checkpoint: c, into: buffer) }
}
