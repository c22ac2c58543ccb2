import Foundation

/// A file written beside its target under a temporary name and renamed over it only when
/// complete, so a reader (or the user) sees the old file or the whole new one, never a part.
///
/// The temporary file is made in the target's folder (a rename is atomic only within one file
/// system) with `O_EXCL`, so it never takes over a file someone else made. ``commit()`` syncs it
/// to disk before the rename, so a crash after cannot leave the new name on unwritten blocks.
/// Discarded, deinitialised without a commit, or on SIGINT/SIGTERM (see ``PendingOutputs``), the
/// temporary file is removed and the target is as it was.
///
/// A target that exists and is not a regular file — `/dev/stdout`, a named pipe — is written
/// in place: there is no old content to keep, and renaming over a device would be wrong.
///
/// ```swift
/// let file = try AtomicFile(target: "capacity.csv")
/// try file.write(bytes)
/// try file.commit()  // capacity.csv now holds exactly `bytes`
/// ```
public final class AtomicFile {
    /// The path the user named.
    public let target: String
    /// Where the bytes go until ``commit()``; the target itself for a device or pipe.
    public let temporaryPath: String
    /// What stood at the target when writing began.
    public let previous: OutputFileError.Previous
    private var descriptor: Int32
    private let inPlace: Bool
    private var finished = false

    nonisolated(unsafe) private static var counter = 0
    private static let counterLock = NSLock()

    public init(target: String) throws {
        self.target = target
        var status = stat()
        let exists = stat(target, &status) == 0
        let kind = status.st_mode & S_IFMT
        if exists && kind == S_IFDIR { throw OutputFileError.isFolder(path: target) }
        inPlace = exists && kind != S_IFREG
        previous = inPlace ? .stream : exists ? .file : .nothing
        if inPlace {
            temporaryPath = target
            descriptor = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
            guard descriptor >= 0 else { throw OutputFileError.cannotCreate(path: target, reason: OutputFileError.reason(errno)) }
            return
        }
        temporaryPath = Self.temporaryName(beside: target)
        PendingOutputs.add(temporaryPath)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            PendingOutputs.remove(temporaryPath)
            throw OutputFileError.cannotCreate(path: target, reason: OutputFileError.reason(code))
        }
        // A replaced file keeps its permissions, as it would if it were overwritten.
        if exists { fchmod(descriptor, status.st_mode & 0o7777) }
    }

    deinit { discard() }

    /// `folder/.name.attrdb-PID-N.partial`: hidden, beside the target, and unique in this process.
    static func temporaryName(beside target: String) -> String {
        let url = URL(fileURLWithPath: target)
        counterLock.lock()
        counter += 1
        let n = counter
        counterLock.unlock()
        let name = ".\(url.lastPathComponent).attrdb-\(getpid())-\(n).partial"
        let folder = (target as NSString).deletingLastPathComponent
        return folder.isEmpty ? name : folder + "/" + name
    }

    /// Writes all of `bytes`, retrying short writes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !finished else { return }
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(errno)
            }
            offset += written
        }
    }

    /// Syncs the file and renames it over the target. Nothing may be written after.
    public func commit() throws {
        guard !finished else { return }
        if inPlace {
            finished = true
            close(descriptor)
            return
        }
        // A sync or close can report a failed delayed write (NFS, a full thin volume): the file
        // is then not what was written, and must not replace anything.
        if fsync(descriptor) != 0 && errno != EINVAL { throw failure(errno) }
        finished = true
        let closed = close(descriptor)
        let closeError = errno
        guard closed == 0 else {
            removeTemporary()
            throw failure(closeError)
        }
        guard rename(temporaryPath, target) == 0 else {
            let code = errno
            removeTemporary()
            throw failure(code)
        }
        PendingOutputs.remove(temporaryPath)
        Self.syncFolder(of: target)
    }

    /// Closes and removes the temporary file; the target is left as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        close(descriptor)
        if !inPlace { removeTemporary() }
    }

    private func removeTemporary() {
        unlink(temporaryPath)
        PendingOutputs.remove(temporaryPath)
    }

    private func failure(_ code: Int32) -> OutputFileError {
        .writeFailed(path: target, reason: OutputFileError.reason(code), previous: previous)
    }

    /// Makes a rename in the folder of `path` durable. Best effort: some file systems refuse it.
    static func syncFolder(of path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
