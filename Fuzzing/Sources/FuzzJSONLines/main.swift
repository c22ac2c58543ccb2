@testable import AttrDB
import FuzzSupport

/// Long-form JSON lines as ingest reads them: line splitting, the JSON parser on each line, the
/// key checks and the table that turns rows into a dense grid.
// Also under libFuzzer's own name, which its archive's (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = Scratch.write(fuzzInput(data, size), name: "input.jsonl")
    _ = try? LongFormReader.readJSONLines(path: path)
    return 0
}

runLibFuzzer(fuzzJSONLines)
