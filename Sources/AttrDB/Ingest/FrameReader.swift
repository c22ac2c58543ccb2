import Foundation

/// What a frame of a frame stream carries (docs/stream-format.md): its kind byte is an ASCII letter.
enum FrameKind: UInt8, CaseIterable {
    case header = 0x48      // H
    case checkpoint = 0x43  // C
    case statistics = 0x53  // S
    case residNorms = 0x52  // R
    case wovNorms = 0x57    // W
    case weightsHash = 0x4B // K
    case group = 0x47       // G
    case end = 0x45         // E

    var letter: Character { Character(Unicode.Scalar(rawValue)) }
}

/// One frame: its number (0 = the header), kind, the byte it starts at, and its payload, valid
/// until the reader's next call.
struct Frame {
    var number: Int
    var kind: FrameKind
    var offset: Int
    var payload: UnsafeRawBufferPointer

    /// Where the frame is, for error messages.
    var location: IngestError.Location { .frame(number: number, kind: kind.letter, offset: offset) }
    /// The offset in the stream of the payload's first byte.
    var payloadOffset: Int { offset + FrameReader.frameHeaderSize }
}

/// Reads a frame stream from a file descriptor and enforces its grammar and bounds: the magic and
/// version, the header first and once, known kinds, zero reserved bytes, JSON payloads of at most
/// ``maxJSONPayload`` bytes, checkpoint payloads of exactly ``checkpointLength`` bytes, nothing after
/// the end frame, and no truncation anywhere. Each error names the frame, its kind and byte offset.
///
/// Memory is bounded by what actually arrives: a payload buffer grows (doubling) as its bytes are
/// read, so a length field that lies about a short stream costs nothing.
final class FrameReader {
    static let magic: [UInt8] = Array("ATTRDB".utf8) + [0x00, 0x01]
    static let frameHeaderSize = 16
    static let maxJSONPayload = 64 << 20
    static let maxCheckpointPayload = 1 << 40

    /// Names the input in errors.
    let file: String
    private let descriptor: Int32
    /// Bytes consumed so far: the offset of the next byte.
    private(set) var offset = 0
    /// Frames returned so far.
    private(set) var framesRead = 0
    private var sawEnd = false
    /// The exact payload length of a `C` frame, known once the header is decoded.
    var checkpointLength: Int?
    /// A descriptor that, once readable, interrupts a read waiting for the stream: the read throws
    /// ``Interrupted``. Lets another thread stop a reader blocked on an idle pipe (``FramePrefetch``).
    var interruption: Int32?
    private var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)

    /// The read was interrupted through ``interruption``.
    struct Interrupted: Error {}

    init(descriptor: Int32, file: String = "-") {
        self.descriptor = descriptor
        self.file = file
        // A pipe holds 64 kB by default: a 400 kB checkpoint frame then crosses it in seven turns of
        // writer and reader. 1 MiB (the unprivileged maximum) lets a writer put a frame in at once.
        // F_SETPIPE_SZ (1031) is Linux's; elsewhere, or on a file, the call fails and changes nothing.
        _ = fcntl(descriptor, 1031, Int32(1 << 20))
    }

    deinit { buffer.deallocate() }

    /// Reads and checks the 8-byte magic and version.
    func readMagic() throws {
        var found = [UInt8](repeating: 0, count: FrameReader.magic.count)
        let count = try found.withUnsafeMutableBytes { try fill($0) }
        let expected = "the magic \"ATTRDB\" 0x00 followed by format version 0x01"
        if count < 7 || Array(found[0..<7]) != Array(FrameReader.magic[0..<7]) {
            let shown = found[0..<count].map { String(format: "%02x", $0) }.joined(separator: " ")
            throw IngestError(file: file, location: .offset(0), expected: expected,
                              found: count == 0 ? "an empty stream" : "the bytes \(shown)" + (count < 8 ? " and then end of input" : ""))
        }
        guard count == 8 else {
            throw IngestError(file: file, location: .offset(7), expected: expected, found: "end of input at byte 7")
        }
        guard found[7] == 0x01 else {
            throw IngestError(file: file, location: .offset(7), expected: "format version 1 (0x01)", found: "version \(found[7]); this attrdb reads version 1")
        }
    }

    /// The next frame, or nil at the end of input when it falls between frames.
    func next() throws -> Frame? {
        let number = framesRead
        let start = offset
        var head = [UInt8](repeating: 0, count: FrameReader.frameHeaderSize)
        let count = try head.withUnsafeMutableBytes { try fill($0) }
        if count == 0 { return nil }
        func failure(_ kind: Character?, _ expected: String, _ found: String) -> IngestError {
            IngestError(file: file, location: .frame(number: number, kind: kind, offset: start), expected: expected, found: found)
        }
        if sawEnd {
            throw failure(nil, "nothing after the end frame (E)", "\(count == FrameReader.frameHeaderSize ? "at least " : "")\(count) more bytes")
        }
        guard let kind = FrameKind(rawValue: head[0]) else {
            throw failure(nil, "a frame kind (\(FrameKind.allCases.map { String($0.letter) }.joined(separator: ", ")))", "the byte 0x\(String(format: "%02x", head[0]))")
        }
        guard count == FrameReader.frameHeaderSize else {
            throw failure(kind.letter, "a \(FrameReader.frameHeaderSize)-byte frame header (kind, 7 zero bytes, length)", "end of input at byte \(offset) (the stream is truncated)")
        }
        if let reserved = (1..<8).first(where: { head[$0] != 0 }) {
            throw failure(kind.letter, "zero reserved bytes", "0x\(String(format: "%02x", head[reserved])) at byte \(start + reserved)")
        }
        if number == 0 && kind != .header {
            throw failure(kind.letter, "the header frame (H) first", "a \(kind.letter) frame")
        }
        if number > 0 && kind == .header {
            throw failure(kind.letter, "one header frame, the first", "a second header")
        }
        let length = head.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        if kind == .checkpoint {
            let expected = checkpointLength ?? 0
            guard length == UInt64(expected) else {
                throw failure(kind.letter, "a payload of 8 + 4 × coefficients × components = \(expected) bytes", "a length of \(length)")
            }
        } else if length > UInt64(FrameReader.maxJSONPayload) {
            throw failure(kind.letter, "a JSON payload of at most \(FrameReader.maxJSONPayload) bytes (64 MiB)", "a length of \(length)")
        }
        let payload = try readPayload(Int(length)) { got in
            failure(kind.letter, "a payload of \(length) bytes", "end of input at byte \(self.offset) after \(got) (the stream is truncated)")
        }
        framesRead += 1
        if kind == .end { sawEnd = true }
        return Frame(number: number, kind: kind, offset: start, payload: payload)
    }

    /// Reads exactly `length` bytes into the reused buffer, growing it only as bytes arrive.
    private func readPayload(_ length: Int, truncated: (Int) -> IngestError) throws -> UnsafeRawBufferPointer {
        var got = 0
        while got < length {
            if buffer.count == got {
                let grown = UnsafeMutableRawBufferPointer.allocate(byteCount: min(length, max(buffer.count * 2, 1 << 16)), alignment: 16)
                grown.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[..<got]))
                buffer.deallocate()
                buffer = grown
            }
            let end = min(length, buffer.count)
            let count = try fill(UnsafeMutableRawBufferPointer(rebasing: buffer[got..<end]))
            got += count
            if got < end { throw truncated(got) }
        }
        return UnsafeRawBufferPointer(rebasing: buffer[..<length])
    }

    /// Fills `target` from the descriptor; fewer bytes only at end of input. Returns the count.
    private func fill(_ target: UnsafeMutableRawBufferPointer) throws -> Int {
        var got = 0
        while got < target.count {
            if let interruption { try waitForInput(or: interruption) }
            let count = read(descriptor, target.baseAddress! + got, target.count - got)
            if count > 0 { got += count; offset += count; continue }
            if count == 0 { break }
            if errno == EINTR { continue }
            throw IngestError(file: file, location: .offset(offset), message: "cannot read (\(String(cString: strerror(errno))))")
        }
        return got
    }

    /// Waits until the stream has input (or its end, or an error, which the read then reports), or
    /// until `interruption` is readable, which throws ``Interrupted``.
    private func waitForInput(or interruption: Int32) throws {
        var watched = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: interruption, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&watched, 2, -1)
            if ready < 0 && errno == EINTR { continue }
            if watched[1].revents != 0 { throw Interrupted() }
            // Anything else — input, its end, an error, or a poll that failed — is the read's to report.
            return
        }
    }
}
