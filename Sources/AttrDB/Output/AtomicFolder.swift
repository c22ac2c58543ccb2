import Foundation

/// A folder written beside its target under a temporary name and renamed into place only when
/// every file in it is complete: readers see the old folder or the whole new one.
///
/// A target that does not exist or is empty is simply replaced by the rename. One with files in
/// it is refused unless `replace`; then the old folder is renamed aside, the new one renamed into
/// place, and the old one deleted (if the second rename fails, the old folder is put back).
/// Discarded, deinitialised without a commit, or on SIGINT/SIGTERM, the temporary folder and
/// everything in it is removed and the target is as it was.
///
/// ```swift
/// let dataset = try AtomicFolder(target: "export", replace: false)
/// // … write files under dataset.temporaryPath …
/// try dataset.commit()
/// ```
public final class AtomicFolder {
    public let target: String
    public let temporaryPath: String
    public let previous: OutputFileError.Previous
    private let hasFiles: Bool
    private var finished = false

    /// - Throws: ``OutputFileError/exists(path:why:)`` for a folder with files in it and no
    ///   `replace`; ``OutputFileError`` when the target is a file or the folder cannot be made.
    public init(target: String, replace: Bool) throws {
        self.target = target
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw OutputFileError.exists(path: target, why: "is a file; a partitioned dataset is a folder")
            }
            previous = .folder
            hasFiles = !((try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []).isEmpty
            if hasFiles && !replace {
                throw OutputFileError.exists(path: target, why: "has files in it; readers of the dataset would mix them in")
            }
        } else {
            previous = .nothing
            hasFiles = false
        }
        temporaryPath = AtomicFile.temporaryName(beside: target)
        PendingOutputs.add(temporaryPath)
        guard mkdir(temporaryPath, 0o755) == 0 else {
            let code = errno
            PendingOutputs.remove(temporaryPath)
            throw OutputFileError.cannotCreate(path: target, reason: OutputFileError.reason(code))
        }
    }

    deinit { discard() }

    /// Makes `relative` (a/b/c) inside the temporary folder, one level at a time: never the
    /// temporary folder itself, so a folder removed on a signal is not made again.
    public func makeFolder(_ relative: String) throws {
        var path = temporaryPath
        for part in relative.split(separator: "/") {
            path += "/" + part
            if mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw OutputFileError.writeFailed(path: target, reason: OutputFileError.reason(errno), previous: previous)
            }
        }
    }

    /// Renames the finished folder into place.
    public func commit() throws {
        guard !finished else { return }
        Self.syncTree(temporaryPath)
        if !hasFiles {
            // rename(2) replaces an empty folder.
            guard rename(temporaryPath, target) == 0 else { throw failure(errno) }
        } else {
            let aside = AtomicFile.temporaryName(beside: target)
            guard rename(target, aside) == 0 else { throw failure(errno) }
            guard rename(temporaryPath, target) == 0 else {
                let code = errno
                rename(aside, target)
                throw failure(code)
            }
            try? FileManager.default.removeItem(atPath: aside)
        }
        finished = true
        PendingOutputs.remove(temporaryPath)
        AtomicFile.syncFolder(of: target)
    }

    /// Removes the temporary folder and everything in it; the target is left as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        try? FileManager.default.removeItem(atPath: temporaryPath)
        PendingOutputs.remove(temporaryPath)
    }

    private func failure(_ code: Int32) -> OutputFileError {
        .writeFailed(path: target, reason: OutputFileError.reason(code), previous: previous)
    }

    /// Syncs every folder of the tree, so the renames of the files in them are durable.
    private static func syncTree(_ root: String) {
        var folders = [root]
        if let walk = FileManager.default.enumerator(atPath: root) {
            for case let name as String in walk {
                var isDirectory: ObjCBool = false
                let path = root + "/" + name
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { folders.append(path) }
            }
        }
        for folder in folders {
            let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            fsync(descriptor)
            close(descriptor)
        }
    }
}
