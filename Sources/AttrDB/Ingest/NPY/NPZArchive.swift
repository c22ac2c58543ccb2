import Foundation
import ZIPFoundation

/// An `.npz` archive (a zip of `.npy` members, as `np.savez` and `np.savez_compressed` write it).
///
/// ```swift
/// let archive = try NPZArchive(path: "run.npz")
/// let array = try archive.array(named: "attributions")
/// let axes = try archive.string(named: "axes")
/// ```
public final class NPZArchive {
    public let path: String
    private let archive: Archive
    private var extracted: [URL] = []

    public init(path: String) throws {
        self.path = path
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            let handle = FileHandle(forReadingAtPath: path)
            let head = handle.flatMap { try? $0.read(upToCount: 4) } ?? Data()
            guard head.elementsEqual([0x50, 0x4B, 0x03, 0x04]) else {
                throw IngestError(file: path, location: .offset(0), expected: "a zip archive (.npz, starting 'PK\\x03\\x04')",
                                  found: head.isEmpty ? "an empty file" : "'\(NPYHeader.escaped(head))'")
            }
            guard case Archive.ArchiveError.missingEndOfCentralDirectoryRecord = error else {
                throw IngestError(file: path, message: "begins like a zip archive (PK\\x03\\x04) but cannot be read as one (\(error))")
            }
            // It starts like a zip, so saying the magic was expected would name what was found;
            // what is missing is the record at the end, where a cut-short download or copy loses it.
            let size = (try? handle?.seekToEnd()).map { Int($0) } ?? 0
            throw IngestError(file: path, location: .offset(size),
                              expected: "the end-of-central-directory record of a zip archive (PK\\x05\\x06)",
                              found: "end of file without one: the .npz begins like a zip (PK\\x03\\x04) but is truncated or damaged")
        }
    }

    deinit {
        for url in extracted { try? FileManager.default.removeItem(at: url) }
    }

    /// Member names without their `.npy` suffix.
    public var memberNames: [String] {
        archive.map { $0.path.hasSuffix(".npy") ? String($0.path.dropLast(4)) : $0.path }
    }

    private func entry(_ name: String) throws -> Entry {
        guard let entry = archive[name + ".npy"] ?? archive[name] else {
            throw IngestError(file: path, location: .member(name), expected: "a member '\(name)'", found: "members \(memberNames.joined(separator: ", "))")
        }
        return entry
    }

    /// The member `name` as a memory-mapped array, extracted to a temporary file that is removed
    /// with the archive.
    public func array(named name: String) throws -> NPYArray {
        let entry = try entry(name)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("attrdb-npz-\(UUID().uuidString).npy")
        do {
            _ = try archive.extract(entry, to: url, skipCRC32: false)
        } catch {
            throw IngestError(file: path, location: .member(name), expected: "a readable zip member", found: "a corrupt one (\(error))")
        }
        extracted.append(url)
        do {
            return try NPYArray(path: url.path)
        } catch var error as IngestError {
            error.file = "\(path) (member \(name))"
            throw error
        }
    }

    /// A text member: a 0-d unicode (`<U…`) or bytes (`|S…`) array, as `np.savez(f, axes=json.dumps(d))`
    /// writes it, or a 1-d array of bytes (`|u1`).
    public func string(named name: String) throws -> String {
        let entry = try entry(name)
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
        } catch {
            throw IngestError(file: path, location: .member(name), expected: "a readable zip member", found: "a corrupt one (\(error))")
        }
        let file = "\(path) (member \(name))"
        return try data.withUnsafeBytes { bytes -> String in
            let header = try NPYHeader(parsing: bytes, file: file)
            guard let dtype = header.dtype else {
                throw IngestError(file: file, expected: "a string array", found: "dtype '\(header.descr)'")
            }
            let payload = UnsafeRawBufferPointer(rebasing: bytes[header.dataOffset...])
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
            case .bytes, .unsignedInteger where dtype.itemSize == 1 || dtype.kind == .bytes:
                let bytes = payload.prefix { $0 != 0 || dtype.kind != .bytes }
                guard let text = String(validating: Array(bytes), as: UTF8.self) else {
                    throw IngestError(file: file, expected: "UTF-8 text", found: "bytes that are not UTF-8")
                }
                return text
            default:
                throw IngestError(file: file, expected: "a string array (<U…, |S…) or bytes (|u1)", found: "dtype '\(header.descr)'")
            }
        }
    }
}
