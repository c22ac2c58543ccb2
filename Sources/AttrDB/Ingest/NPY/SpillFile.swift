import Foundation

/// A temporary file in `$TMPDIR` that has no name: it is unlinked as soon as it is created, so the
/// kernel frees its space when the descriptor is closed, whichever way the process ends — an
/// error, a crash or a kill leave nothing behind in `$TMPDIR`.
///
/// ```swift
/// let spill = try SpillFile(for: "run.npz (member attributions)")
/// try spill.write(chunk)
/// let array = try NPYArray(descriptor: spill.descriptor, path: "run.npz (member attributions)")
/// ```
final class SpillFile {
    let descriptor: Int32
    /// Whose bytes these are, for error messages.
    private let owner: String
    private let folder: String
    private(set) var size = 0

    init(for owner: String) throws {
        self.owner = owner
        folder = FileManager.default.temporaryDirectory.path
        var template = Array((folder + "/attrdb-npz-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw IngestError(file: owner, message: "cannot create a temporary file in \(folder) (\(String(cString: strerror(errno))))")
        }
        unlink(template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Appends `bytes`; a full disk or a file-size limit (`ulimit -f`, with SIGXFSZ ignored) is an
    /// error saying where the space ran out and how much was needed.
    func write(_ bytes: UnsafeRawBufferPointer, totalNeeded: Int) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                let reason = written < 0 ? String(cString: strerror(errno)) : "nothing written"
                throw IngestError(file: owner, message: "cannot extract to a temporary file in \(folder) (\(reason)) after \(size) of \(totalNeeded) bytes; set TMPDIR to a folder with room for it")
            }
            offset += written
            size += written
        }
    }
}
