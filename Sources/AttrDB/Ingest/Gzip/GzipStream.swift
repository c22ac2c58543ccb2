import CSystemZlib

/// A streaming gzip (RFC 1952) decoder on the system zlib: feed it compressed bytes in chunks of
/// any size, get the decompressed bytes in chunks of at most `outputSize`. Memory is bounded by
/// zlib's 32 KiB window plus the output buffer, whatever the input says.
///
/// Every member of a multi-member stream (`cat a.gz b.gz`, `pigz`, appending writers) is read, and
/// zlib checks each member's CRC-32 and length trailer. Any problem is an ``IngestError`` naming
/// the member and the compressed byte offset: a corrupt member, a wrong trailer, bytes after the
/// last member that do not start another one, or input that ends inside a member.
///
/// ```swift
/// let gzip = try GzipStream(file: "x.csv.gz")
/// try gzip.feed(chunk) { decompressed in ... }   // for every chunk read
/// try gzip.finish()                              // throws when the input stopped mid-member
/// ```
final class GzipStream {
    let file: String
    /// The member being read (1-based); after the last one ended, the number of the next.
    private(set) var member = 1
    /// Compressed bytes consumed so far: every offset in an error is one of these.
    private(set) var compressedOffset = 0
    /// zlib's state points back at its z_stream, so the stream lives at a fixed address.
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    /// How many bytes of the current member's magic (0x1f 0x8b) have been checked: zlib would call
    /// anything else an "incorrect header check"; we say it is not another member.
    private var magicChecked = 0
    /// True between a member's end and the next member's first byte: where the input may end.
    private var atMemberBoundary = true
    private var membersEnded = 0
    /// The last eight compressed bytes consumed, newest in the low byte: a trailer just read, so a
    /// mismatch can say what the trailer held.
    private var recent: UInt64 = 0

    init(file: String, outputSize: Int = 1 << 18) throws {
        self.file = file
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: max(outputSize, 1), alignment: 16)
        let status = attrdb_inflate_init_gzip(stream)
        guard status == Z_OK else {
            stream.deallocate()
            output.deallocate()
            throw IngestError(file: file, message: "gzip: zlib could not start (status \(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        output.deallocate()
    }

    /// Decompresses `bytes` whole, calling `consume` with each decompressed chunk: the entry point
    /// for a fuzzer or a test, without a file.
    static func decompress(_ bytes: UnsafeRawBufferPointer, file: String = "<bytes>", _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let gzip = try GzipStream(file: file)
        try gzip.feed(bytes, consume)
        try gzip.finish()
    }

    /// Decompresses the next compressed chunk, calling `consume` with the output as it is produced.
    func feed(_ input: UnsafeRawBufferPointer, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard var next = input.baseAddress, input.count > 0 else { return }
        var remaining = input.count
        while remaining > 0 {
            if magicChecked < 2 {
                // Only looked at: the magic bytes still go to zlib, which parses the whole header.
                try checkMagic(UnsafeRawBufferPointer(start: next, count: remaining))
                atMemberBoundary = false
            }
            let used = try inflateSome(UnsafeRawBufferPointer(start: next, count: remaining), consume)
            next += used
            remaining -= used
        }
    }

    /// Ends the input: an error unless it stopped exactly at the end of a member.
    func finish() throws {
        guard atMemberBoundary, membersEnded > 0 else {
            throw IngestError(file: file, location: .offset(compressedOffset),
                              expected: membersEnded == 0 && compressedOffset == 0 ? "a gzip member" : "the rest of gzip member \(member)",
                              found: "end of file (the input is truncated)")
        }
    }

    /// Checks the next bytes of the member magic without consuming them.
    private func checkMagic(_ bytes: UnsafeRawBufferPointer) throws {
        let magic: [UInt8] = [0x1F, 0x8B]
        var i = 0
        while magicChecked < 2 && i < bytes.count {
            guard bytes[i] == magic[magicChecked] else {
                let what = membersEnded == 0 ? "a gzip member (starting 0x1f 0x8b)" : "another gzip member (starting 0x1f 0x8b) or end of file after member \(membersEnded)"
                throw IngestError(file: file, location: .offset(compressedOffset + i), expected: what, found: "the byte \(Self.hex(bytes[i], digits: 2))")
            }
            magicChecked += 1
            i += 1
        }
    }

    /// Runs inflate over `input` until it is used up or a member ends; returns the bytes consumed.
    private func inflateSome(_ input: UnsafeRawBufferPointer, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        // zlib never writes through next_in; the C declaration just lacks const.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        while true {
            stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count)
            let before = Int(stream.pointee.avail_in)
            let status = inflate(stream, Z_NO_FLUSH)
            let used = before - Int(stream.pointee.avail_in)
            remember(stream.pointee.next_in - used, count: used)
            compressedOffset += used
            let produced = output.count - Int(stream.pointee.avail_out)
            if produced > 0 { try consume(UnsafeRawBufferPointer(start: output.baseAddress, count: produced)) }
            switch status {
            case Z_OK:
                // More to come while the output filled up or input is left.
                if stream.pointee.avail_out == 0 || stream.pointee.avail_in > 0 { continue }
                return input.count
            case Z_BUF_ERROR:
                // No progress possible: all input is used and the output is flushed.
                guard stream.pointee.avail_in == 0 else { throw dataError() }
                return input.count
            case Z_STREAM_END:
                membersEnded += 1
                member += 1
                magicChecked = 0
                atMemberBoundary = true
                guard inflateReset(stream) == Z_OK else { throw IngestError(file: file, message: "gzip: zlib could not reset") }
                return input.count - Int(stream.pointee.avail_in)
            case Z_MEM_ERROR:
                throw IngestError(file: file, location: .offset(compressedOffset), message: "gzip: out of memory in member \(member)")
            default:
                throw dataError()
            }
        }
    }

    private func remember(_ bytes: UnsafeMutablePointer<Bytef>, count: Int) {
        for i in max(0, count - 8)..<count { recent = recent << 8 | UInt64(bytes[i]) }
    }

    /// A corrupt member, in words: a trailer mismatch names both values and where the field starts.
    private func dataError() -> IngestError {
        let reason = stream.pointee.msg.map { String(cString: $0) } ?? "corrupt data"
        // The trailer field just read is the last four bytes consumed, little-endian.
        let stored = UInt32(truncatingIfNeeded: recent).byteSwapped
        switch reason {
        case "incorrect data check":
            return IngestError(file: file, location: .offset(compressedOffset - 4),
                               expected: "the CRC-32 of gzip member \(member)'s data, \(Self.hex(UInt64(stream.pointee.adler), digits: 8))",
                               found: "\(Self.hex(UInt64(stored), digits: 8)) in its trailer")
        case "incorrect length check":
            return IngestError(file: file, location: .offset(compressedOffset - 4),
                               expected: "the length of gzip member \(member)'s data, \(UInt32(truncatingIfNeeded: stream.pointee.total_out)) bytes (mod 2^32)",
                               found: "\(stored) in its trailer")
        default:
            return IngestError(file: file, location: .offset(compressedOffset), expected: "valid gzip data in member \(member)", found: reason)
        }
    }

    private static func hex(_ value: some BinaryInteger, digits: Int) -> String {
        let text = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
