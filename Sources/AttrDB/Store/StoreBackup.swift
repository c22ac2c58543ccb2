import Foundation

extension Store {
    /// Writes a consistent copy of the store to `destination`, which must not exist unless
    /// `replace`; the copy is written beside it and moved into place only when complete.
    public func backup(to destination: String, replace: Bool = false) throws {
        if FileManager.default.fileExists(atPath: destination) && !replace {
            throw OutputFileError.exists(path: destination, why: "")
        }
        let folder = (destination as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            throw StoreError.missingFolder(path: destination, folder: folder)
        }
        // Written beside its target as every output is (AtomicFile's naming, removed on SIGINT/SIGTERM
        // too), then renamed over it: the destination is the old file or the whole copy, never a part.
        let partial = AtomicFile.temporaryName(beside: destination)
        PendingOutputs.add(partial)
        defer {
            unlink(partial)
            PendingOutputs.remove(partial)
        }
        do {
            let target = try Connection(path: partial, access: .readWrite(create: true), vfs: vfs)
            try connection.backup(to: target)
        } catch let error as SQLiteError {
            throw Store.translate(error, path: destination)
        }
        guard rename(partial, destination) == 0 else {
            throw OutputFileError.writeFailed(path: destination, reason: OutputFileError.reason(errno), previous: FileManager.default.fileExists(atPath: destination) ? .file : .nothing)
        }
        AtomicFile.syncFolder(of: destination)
    }
}
