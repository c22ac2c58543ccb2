import CZstd

/// Compresses Parquet pages with the system zstd, one frame per page, reusing one context so a
/// page costs no allocation.
///
/// ```swift
/// let zstd = ZstdCompressor()
/// let page = try zstd.compress(Array(repeating: 7, count: 4096))  // a few bytes
/// ```
final class ZstdCompressor {
    /// Level 1, by measurement: of `export values` (10.24 M values) nearly all the compressed bytes
    /// are the float32 values' 1 MiB PLAIN pages, and over those level 3 took 2.1× as long (0.19 s
    /// against 0.09 s) for a file no smaller (37.89 MB against 37.86 MB); the dictionary indices
    /// and levels shrink to almost nothing at either level.
    static let defaultLevel: Int32 = 1

    let level: Int32
    private let context: OpaquePointer

    init(level: Int32 = ZstdCompressor.defaultLevel) {
        self.level = level
        // ZSTD_createCCtx returns nil only when malloc does, where nothing else would work either.
        guard let context = ZSTD_createCCtx() else { fatalError("zstd: out of memory for a compression context") }
        self.context = context
    }

    deinit { ZSTD_freeCCtx(context) }

    /// One zstd frame holding `bytes`.
    ///
    /// - Throws: ``ParquetError/compression(_:)`` with zstd's reason when it fails.
    func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let bound = ZSTD_compressBound(bytes.count)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                ZSTD_compressCCtx(context, target.baseAddress, bound, source.baseAddress, source.count, level)
            }
        }
        if ZSTD_isError(written) != 0 {
            throw ParquetError.compression(String(cString: ZSTD_getErrorName(written)))
        }
        output.removeLast(bound - written)
        return output
    }
}
