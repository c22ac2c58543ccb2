@testable import AttrDB
import FuzzSupport

/// The gzip decoder (GzipStream, on the system zlib) on bytes in memory, twice: whole, and fed in
/// 7-byte chunks as a file's reads would split it. Both must give the same bytes, or the same error:
/// where the chunks fall must change nothing, not even the offset an error names.
// Also under libFuzzer's own name, which its archive's (unused) main refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    let whole = outcome { consume in try GzipStream.decompress(bytes, consume) }
    let chunked = outcome { consume in
        let gzip = try GzipStream(file: "<bytes>")
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 7, bytes.count)
            try gzip.feed(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]), consume)
            offset = end
        }
        try gzip.finish()
    }
    guard whole == chunked else {
        fatalError("gzip: fed whole gave \(whole.output.count) bytes, \(whole.error ?? "no error"); in 7-byte chunks \(chunked.output.count) bytes, \(chunked.error ?? "no error")")
    }
    return 0
}

struct Outcome: Equatable {
    var output: [UInt8] = []
    var error: String?
}

/// What `decode` produced, and the error it ended with (output past 64 MiB is cut off, as a gzip
/// bomb's would be by any reader with a limit).
func outcome(_ decode: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) -> Outcome {
    var result = Outcome()
    do {
        try decode { chunk in
            result.output.append(contentsOf: chunk)
            if result.output.count > 64 << 20 { throw CancellationError() }
        }
    } catch is CancellationError {
        result.error = "cut off at 64 MiB"
    } catch {
        result.error = "\(error)"
    }
    return result
}

runLibFuzzer(fuzzGzip)
