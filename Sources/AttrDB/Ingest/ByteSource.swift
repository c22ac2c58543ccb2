import Foundation
import ZIPFoundation

/// Bytes from a file or standard input, in chunks, gunzipped when they start with gzip's magic.
enum ByteSource {
    static let chunkSize = 1 << 20

    /// Calls `consume` with successive chunks of `path` ("-" for standard input).
    static func read(path: String, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: path) else {
                throw IngestError(file: path, message: "cannot open for reading (\(String(cString: strerror(errno))))")
            }
            handle = opened
        }
        defer { if path != "-" { try? handle.close() } }
        var first = try handle.read(upToCount: chunkSize) ?? Data()
        if first.count >= 2 && first[first.startIndex] == 0x1F && first[first.startIndex + 1] == 0x8B {
            try gunzip(path: path, first: first, handle: handle, consume)
            return
        }
        while !first.isEmpty {
            try first.withUnsafeBytes(consume)
            first = try handle.read(upToCount: chunkSize) ?? Data()
        }
    }

    /// Inflates a gzip stream (RFC 1952): a header, raw deflate data, then CRC-32 and length.
    private static func gunzip(path: String, first: Data, handle: FileHandle, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        var pending = first
        func need(_ count: Int) throws {
            while pending.count < count {
                guard let more = try handle.read(upToCount: chunkSize), !more.isEmpty else {
                    throw IngestError(file: path, location: .offset(pending.count), expected: "a complete gzip header", found: "end of file")
                }
                pending.append(more)
            }
        }
        try need(10)
        let bytes = [UInt8](pending.prefix(10))
        guard bytes[2] == 8 else {
            throw IngestError(file: path, location: .offset(2), expected: "gzip compression method 8 (deflate)", found: "\(bytes[2])")
        }
        let flags = bytes[3]
        var offset = 10
        if flags & 0x04 != 0 {
            try need(offset + 2)
            let extra = Int(pending[pending.startIndex + offset]) | Int(pending[pending.startIndex + offset + 1]) << 8
            offset += 2 + extra
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // file name, comment: NUL-terminated
            while true {
                try need(offset + 1)
                offset += 1
                if pending[pending.startIndex + offset - 1] == 0 { break }
            }
        }
        if flags & 0x02 != 0 { offset += 2 }
        try need(offset)
        var buffer = Data(pending.dropFirst(offset))
        var consumed: Int64 = 0
        do {
            _ = try Data.decompress(size: Int64.max, bufferSize: chunkSize, skipCRC32: true, provider: { _, size in
                if buffer.isEmpty { buffer = try handle.read(upToCount: max(size, chunkSize)) ?? Data() }
                let chunk = buffer.prefix(size)
                buffer = Data(buffer.dropFirst(chunk.count))
                consumed += Int64(chunk.count)
                return Data(chunk)
            }, consumer: { data in
                try data.withUnsafeBytes(consume)
            })
        } catch let error as IngestError {
            throw error
        } catch {
            throw IngestError(file: path, location: .offset(offset + Int(consumed)), expected: "valid gzip (deflate) data", found: "a corrupt or truncated stream (\(error))")
        }
    }
}
