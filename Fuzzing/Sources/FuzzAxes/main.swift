import Foundation
@testable import AttrDB
import FuzzSupport

/// axes.json on bytes in memory: the UTF-8 check, the JSON parser, and every key's validation.
// Also under libFuzzer's own name, which its archive's (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAxes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    _ = try? Axes.parse(Data(bytes), file: "axes.json")
    return 0
}

runLibFuzzer(fuzzAxes)
