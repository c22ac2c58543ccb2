@testable import AttrDB
import FuzzSupport

/// The JSON parser on bytes in memory. What it accepts must survive a round trip: the text attrdb
/// writes for a value (stored as a run's config) must parse back to the same value.
// Also under libFuzzer's own name, which its archive's (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let value = try? JSONParser.parse(fuzzInput(data, size)) else { return 0 }
    var text = value.jsonText
    let again = text.withUTF8 { try? JSONParser.parse(UnsafeRawBufferPointer($0)) }
    guard let again else { fatalError("the JSON attrdb wrote does not parse: \(text)") }
    guard again.jsonText == text else { fatalError("JSON text changed on a round trip: \(text) became \(again.jsonText)") }
    return 0
}

runLibFuzzer(fuzzJSON)
