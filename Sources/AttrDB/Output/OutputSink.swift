import Foundation

/// A buffered destination for text and bytes: standard output or a file.
public final class OutputSink {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let capacity = 1 << 16
    public let path: String?

    /// Standard output.
    public static func standardOutput() -> OutputSink { OutputSink(descriptor: 1, owns: false, path: nil) }

    /// A new file at `path`, replacing one that is there.
    public static func file(_ path: String) throws -> OutputSink {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StoreError.invalidArgument("\(path): cannot write (\(String(cString: strerror(errno))))")
        }
        return OutputSink(descriptor: fd, owns: true, path: path)
    }

    private init(descriptor: Int32, owns: Bool, path: String?) {
        self.descriptor = descriptor
        self.ownsDescriptor = owns
        self.path = path
        buffer.reserveCapacity(capacity)
    }

    deinit {
        try? flush()
        if ownsDescriptor { close(descriptor) }
    }

    public var isTerminal: Bool { isatty(descriptor) == 1 }

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

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw StoreError.invalidArgument("\(path ?? "standard output"): write failed (\(String(cString: strerror(errno))))")
            }
            offset += written
        }
    }
}
