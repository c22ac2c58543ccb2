@testable import AttrDB
import FuzzSupport

/// The .npy header parser (magic, version, length, the Python dict literal) on bytes in memory,
/// then the checks that follow it on a real read: a float dtype, and the data size the shape implies.
// Also under libFuzzer's own name, which its archive's (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNPYHeader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    guard let header = try? NPYHeader(parsing: bytes, file: "input.npy") else { return 0 }
    _ = header.shapeText
    if let dtype = try? header.floatDType(file: "input.npy") {
        _ = try? header.checkDataSize(fileSize: bytes.count, itemSize: dtype.itemSize, file: "input.npy")
    }
    return 0
}

runLibFuzzer(fuzzNPYHeader)
