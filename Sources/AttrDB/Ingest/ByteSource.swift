import Foundation

/// Bytes from a file or standard input, in chunks, gunzipped (every member, trailers checked) when
/// they start with gzip's magic or the file is named `.gz`.
enum ByteSource {
    static let chunkSize = 1 << 20

    /// Like `read`, with the reading (and gunzipping) on a thread of its own: the text readers parse
    /// on one core while the other inflates. Same bytes, same errors, in the same order.
    static func readAhead(path: String, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        try ReadAhead.run(produce: { sink in try read(path: path, sink) }, consume: consume)
    }

    /// Calls `consume` with successive chunks of `path` ("-" for standard input).
    static func read(path: String, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let descriptor: Int32
        if path == "-" {
            descriptor = STDIN_FILENO
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw IngestError(file: path, message: "cannot open for reading (\(String(cString: strerror(errno))))")
            }
        }
        defer { if path != "-" { close(descriptor) } }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        /// The next chunk (empty at end of input), read with one reused buffer.
        func next() throws -> UnsafeRawBufferPointer {
            while true {
                let count = Foundation.read(descriptor, buffer.baseAddress, chunkSize)
                if count >= 0 {
                    offset += count
                    return UnsafeRawBufferPointer(rebasing: buffer[..<count])
                }
                if errno == EINTR { continue }
                throw IngestError(file: path, location: .offset(offset), message: "cannot read (\(String(cString: strerror(errno))))")
            }
        }
        var chunk = try next()
        // A file named .gz must be gzip: anything else (even a lone 0x1f) is refused by the reader.
        if path.lowercased().hasSuffix(".gz") {
            try gunzip(try GzipStream(file: path), first: chunk, next: next, consume)
            return
        }
        // A one-byte first read cannot show the magic: read on until two bytes are known.
        if chunk.count == 1 {
            let first = chunk[0]
            let second = try next()
            if first == 0x1F && second.first == 0x8B {
                let gzip = try GzipStream(file: path)
                try withUnsafeBytes(of: first) { try gzip.feed($0, consume) }
                try gunzip(gzip, first: second, next: next, consume)
                return
            }
            try withUnsafeBytes(of: first) { try consume($0) }
            chunk = second
        } else if chunk.count >= 2 && chunk[0] == 0x1F && chunk[1] == 0x8B {
            try gunzip(try GzipStream(file: path), first: chunk, next: next, consume)
            return
        }
        while !chunk.isEmpty {
            try consume(chunk)
            chunk = try next()
        }
    }

    private static func gunzip(_ gzip: GzipStream, first: UnsafeRawBufferPointer, next: () throws -> UnsafeRawBufferPointer,
                               _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        var chunk = first
        while !chunk.isEmpty {
            try gzip.feed(chunk, consume)
            chunk = try next()
        }
        try gzip.finish()
    }
}
