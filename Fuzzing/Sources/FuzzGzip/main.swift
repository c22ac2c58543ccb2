@testable import AttrDB
import FuzzSupport

/// The gzip reader: every input read through ByteSource, which inflates it when it starts with
/// gzip's magic bytes (the seeds do).
// Also under libFuzzer's own name, which its archive's (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let path = Scratch.write(fuzzInput(data, size), name: "input.csv.gz")
    var total = 0
    _ = try? ByteSource.read(path: path) { chunk in
        total += chunk.count
        // A gzip bomb is the reader's to bound; the harness stops reading past 64 MiB.
        if total > 64 << 20 { throw CancellationError() }
    }
    return 0
}

runLibFuzzer(fuzzGzip)
