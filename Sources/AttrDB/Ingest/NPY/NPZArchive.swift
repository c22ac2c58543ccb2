import Foundation
import ZIPFoundation

/// An `.npz` archive (a zip of `.npy` members, as `np.savez` and `np.savez_compressed` write it).
///
/// Nothing is inflated on trust. Each member's npy header is read first (only its first bytes are
/// inflated); its dtype and shape say how many bytes the member must hold, which the caller checks
/// against what it needs (the axes) and which must equal the size the zip entry declares; then the
/// member is inflated, stopping at that size, and its CRC-32 checked. A zip bomb or a member that
/// lies about its size is an error naming the member, with memory and `$TMPDIR` use bounded by
/// what the axes need.
///
/// ```swift
/// let archive = try NPZArchive(path: "run.npz")
/// let axes = try archive.string(named: "axes")
/// let array = try archive.array(named: "attributions") { header in /* check header.shape */ }
/// ```
public final class NPZArchive {
    public let path: String
    private let archive: Archive

    /// The largest npy header read from a member (numpy itself refuses more than 10 000 bytes).
    static let maxHeaderSize = 1 << 20
    /// The largest text member (the axes' JSON, as a string array): far beyond any real axes, far
    /// below what would strain memory.
    static let maxTextSize = 64 << 20

    public init(path: String) throws {
        self.path = path
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            let head = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 4) } ?? Data()
            throw IngestError(file: path, location: .offset(0), expected: "a zip archive (.npz, starting 'PK\\x03\\x04')",
                              found: head.isEmpty ? "an empty file" : "'\(NPYHeader.escaped(head))'")
        }
    }

    /// Member names without their `.npy` suffix.
    public var memberNames: [String] {
        archive.map { $0.path.hasSuffix(".npy") ? String($0.path.dropLast(4)) : $0.path }
    }

    /// How a member is named in errors.
    private func file(_ name: String) -> String { "\(path) (member \(name))" }

    private func entry(_ name: String) throws -> Entry {
        guard let entry = archive[name + ".npy"] ?? archive[name] else {
            throw IngestError(file: path, location: .member(name), expected: "a member '\(name)'", found: "members \(memberNames.joined(separator: ", "))")
        }
        // A symlink entry would be read whole, at its declared size, without inflating.
        guard entry.type == .file else {
            throw IngestError(file: path, location: .member(name), expected: "a file member", found: "a \(entry.type == .directory ? "directory" : "symbolic link")")
        }
        return entry
    }

    /// The member `name` as a memory-mapped array. `validate` sees its header before anything past
    /// the header is inflated (to compare the shape with the axes); the data goes to an unlinked
    /// temporary file (see ``SpillFile``), so `$TMPDIR` is left as it was on every path.
    public func array(named name: String, validate: (NPYHeader) throws -> Void = { _ in }) throws -> NPYArray {
        let entry = try entry(name)
        let header = try header(of: entry, name: name)
        let dtype = try header.floatDType(file: file(name))
        try validate(header)
        let size = try checkDeclaredSize(of: entry, name: name, header: header, itemSize: dtype.itemSize)
        let spill = try SpillFile(for: file(name))
        try inflate(entry, name: name, size: size) { chunk in
            try chunk.withUnsafeBytes { try spill.write($0, totalNeeded: size) }
        }
        return try NPYArray(descriptor: spill.descriptor, path: file(name))
    }

    /// A text member: a 0-d unicode (`<U…`) or bytes (`|S…`) array, as `np.savez(f, axes=json.dumps(d))`
    /// writes it, or a 1-d array of bytes (`|u1`), of at most ``maxTextSize`` bytes.
    public func string(named name: String) throws -> String {
        let entry = try entry(name)
        let file = file(name)
        let header = try header(of: entry, name: name)
        guard let dtype = header.dtype, [.unicode, .bytes].contains(dtype.kind) || (dtype.kind == .unsignedInteger && dtype.itemSize == 1) else {
            throw IngestError(file: file, location: .offset(header.descrOffset), expected: "a string array (<U…, |S…) or bytes (|u1)", found: "dtype '\(header.descr)'")
        }
        guard let count = header.elementCount, case (let bytes, false) = count.multipliedReportingOverflow(by: dtype.itemSize),
              bytes <= Self.maxTextSize else {
            throw IngestError(file: file, location: .offset(header.descrOffset),
                              expected: "a text member of at most \(Self.maxTextSize >> 20) MiB",
                              found: "'\(header.descr)' of shape \(header.shapeText)\(header.elementCount.map { ", \(Self.describe(bytes: $0, itemSize: dtype.itemSize))" } ?? "")")
        }
        let size = try checkDeclaredSize(of: entry, name: name, header: header, itemSize: dtype.itemSize)
        var data = Data(capacity: size)
        try inflate(entry, name: name, size: size) { data.append($0) }
        return try data.withUnsafeBytes { try Self.text(UnsafeRawBufferPointer(rebasing: $0[header.dataOffset...]), dtype: dtype, header: header, file: file) }
    }

    /// "1073741824 bytes", or "more than 2^63 bytes" when elements × item size overflows.
    private static func describe(bytes count: Int, itemSize: Int) -> String {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: itemSize)
        return overflow ? "more than 2^63 bytes" : "\(bytes) bytes"
    }

    /// Thrown by a consumer to stop inflating once it has what it needs.
    private struct Enough: Error {}

    /// Inflates the member's first bytes, just enough for its npy header, and parses it.
    private func header(of entry: Entry, name: String) throws -> NPYHeader {
        var head = Data()
        var needed = 12  // magic, version and a header length of up to 4 bytes
        do {
            _ = try archive.extract(entry, bufferSize: 4096, skipCRC32: true) { chunk in
                head.append(chunk)
                if head.count >= 12, head.prefix(6).elementsEqual(NPYHeader.magic), (1...3).contains(head[6]) {
                    let lengthSize = head[6] == 1 ? 2 : 4
                    let length = (0..<lengthSize).reversed().reduce(0) { $0 << 8 | Int(head[8 + $1]) }
                    guard length <= Self.maxHeaderSize else {
                        throw IngestError(file: self.file(name), location: .offset(8), expected: "an npy header of at most \(Self.maxHeaderSize >> 20) MiB", found: "a header length of \(length) bytes")
                    }
                    needed = 8 + lengthSize + length
                }
                if head.count >= needed { throw Enough() }
            }
        } catch is Enough {
        } catch let error as IngestError {
            throw error
        } catch {
            throw IngestError(file: path, location: .member(name), expected: "a readable zip member", found: "a corrupt one (\(error))")
        }
        return try head.withUnsafeBytes { try NPYHeader(parsing: $0, file: file(name)) }
    }

    /// The member's size from its header (header + elements × item size), which must be the size
    /// the zip entry declares.
    private func checkDeclaredSize(of entry: Entry, name: String, header: NPYHeader, itemSize: Int) throws -> Int {
        let declared = Int(clamping: entry.uncompressedSize)
        guard let count = header.elementCount, case (let data, false) = count.multipliedReportingOverflow(by: itemSize),
              case (let total, false) = data.addingReportingOverflow(header.dataOffset) else {
            throw IngestError(file: file(name), location: .offset(header.shapeOffset), expected: "a shape whose size fits in memory", found: header.shapeText)
        }
        guard total == declared else {
            throw IngestError(file: file(name), location: .offset(header.dataOffset),
                              expected: "\(data) bytes of data for shape \(header.shapeText) of '\(header.descr)'",
                              found: "a zip entry declaring \(declared - header.dataOffset) bytes of data")
        }
        return total
    }

    /// Inflates the whole member into `consume`, refusing more or fewer bytes than `size` (what
    /// the entry declares) and a CRC-32 other than the entry's.
    private func inflate(_ entry: Entry, name: String, size: Int, _ consume: (Data) throws -> Void) throws {
        var inflated = 0
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { chunk in
                inflated += chunk.count
                // Stop at the declared size: a bomb never gets further than the axes allow.
                guard inflated <= size else {
                    throw IngestError(file: self.file(name), expected: "\(size) bytes, as its zip entry declares", found: "more (it inflates past them)")
                }
                try consume(chunk)
            }
        } catch let error as IngestError {
            throw error
        } catch {
            throw IngestError(file: path, location: .member(name), expected: "a readable zip member", found: "a corrupt one (\(error))")
        }
        guard inflated == size else {
            throw IngestError(file: file(name), expected: "\(size) bytes, as its zip entry declares", found: "\(inflated) bytes")
        }
        guard checksum == entry.checksum else {
            throw IngestError(file: file(name), expected: "CRC-32 \(String(entry.checksum, radix: 16)), as its zip entry declares", found: "\(String(checksum, radix: 16))")
        }
    }

    /// The text of a string array's data.
    private static func text(_ payload: UnsafeRawBufferPointer, dtype: NPYHeader.DType, header: NPYHeader, file: String) throws -> String {
        switch dtype.kind {
        case .unicode:
            var scalars = String.UnicodeScalarView()
            for i in 0..<(payload.count / 4) {
                let raw = payload.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)
                let value = dtype.isBigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)
                if value == 0 { break }  // numpy pads fixed-width strings with NULs
                guard let scalar = Unicode.Scalar(value) else {
                    throw IngestError(file: file, location: .offset(header.dataOffset + i * 4), expected: "a unicode code point", found: "\(value)")
                }
                scalars.append(scalar)
            }
            return String(scalars)
        default:
            // |S… stops at the first NUL (numpy's padding); |u1 is taken whole.
            let bytes = payload.prefix { $0 != 0 || dtype.kind != .bytes }
            guard let text = String(validating: Array(bytes), as: UTF8.self) else {
                throw IngestError(file: file, expected: "UTF-8 text", found: "bytes that are not UTF-8")
            }
            return text
        }
    }
}
