@testable import AttrDB
import FuzzSupport

/// A whole .npy read as ingest does it: mapped from a file, then every checkpoint copied out
/// component-major (the transpose, the dtype conversions, Fortran order).
// Also under libFuzzer's own name, which its archive's (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPY(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = Scratch.write(fuzzInput(data, size), name: "attributions.npy")
    guard let array = try? NPYArray(path: path) else { return 0 }
    copyOutEveryCheckpoint(array)
    return 0
}

runLibFuzzer(fuzzNPY)
