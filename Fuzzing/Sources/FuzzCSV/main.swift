@testable import AttrDB
import FuzzSupport

/// Long-form CSV as ingest reads it: the record parser, the header and row checks, the number
/// parsing and the table that turns rows into a dense grid.
// Also under libFuzzer's own name, which its archive's (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = Scratch.write(fuzzInput(data, size), name: "input.csv")
    _ = try? LongFormReader.readCSV(path: path)
    return 0
}

runLibFuzzer(fuzzCSV)
