import Foundation

/// A buffered destination for text and bytes: standard output, a file, or memory.
///
/// A file is an ``AtomicFile``: the bytes go to a temporary file beside it, and ``finish()``
/// moves that into place. A sink dropped before ``finish()`` (an error, half-way) removes its
/// temporary file, and the file that was there stays as it was.
public final class OutputSink {
    private let descriptor: Int32
    private let file: AtomicFile?
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16
    public let path: String?

    /// Standard output.
    public static func standardOutput() -> OutputSink { OutputSink(descriptor: 1, file: nil, path: nil) }

    /// A file at `path`, replacing the one there when ``finish()`` is called.
    public static func file(_ path: String) throws -> OutputSink {
        let file = try AtomicFile(target: path)
        return OutputSink(descriptor: -1, file: file, path: path)
    }

    /// Memory: the bytes collect in ``collected`` (what `attrdb serve` answers with, written by the
    /// same ``TableWriter`` the command line writes with).
    public static func memory() -> OutputSink {
        let sink = OutputSink(descriptor: -1, file: nil, path: nil)
        sink.collected = []
        return sink
    }

    /// A memory sink's bytes, flushed ones; nil for standard output and files.
    public private(set) var collected: [UInt8]?

    private init(descriptor: Int32, file: AtomicFile?, path: String?) {
        self.descriptor = descriptor
        self.file = file
        self.path = path
        buffer.reserveCapacity(capacity)
    }

    deinit {
        // Standard output gets what was written; a file not finished is abandoned.
        if file == nil { try? flush() }
    }

    public var isTerminal: Bool { file == nil && descriptor >= 0 && isatty(descriptor) == 1 }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count > capacity { try flush() }
        if bytes.count >= capacity {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Lets `build` append to the buffer itself: a line is built where it is written, not built
    /// apart and copied in. Flushed once the buffer passes its size.
    func append(_ build: (inout [UInt8]) -> Void) throws {
        build(&buffer)
        if buffer.count >= capacity { try flush() }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes; a file is then synced and moved into place, and takes no more writes.
    public func finish() throws {
        try flush()
        try file?.commit()
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        if let file { return try file.write(bytes) }
        if collected != nil { return collected!.append(contentsOf: bytes) }
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                // The reader stopped reading (`| head`): not an error, the output is simply done.
                if errno == EPIPE { throw ReaderClosed() }
                throw OutputFileError.writeFailed(path: "standard output", reason: OutputFileError.reason(errno), previous: .stream)
            }
            offset += written
        }
    }
}

/// Standard output's reader went away (a closed pipe, EPIPE): the command stops, with success.
public struct ReaderClosed: Error {}
