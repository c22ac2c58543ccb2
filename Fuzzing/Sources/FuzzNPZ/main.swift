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
    if let array = try? archive.array(named: "attributions") { copyOutEveryCheckpoint(array) }
    return 0
}

runLibFuzzer(fuzzNPZ)
