import Foundation

extension Store {
    /// Writes a consistent copy of the store to `destination`, which must not exist unless
    /// `replace`; the copy is written beside it and moved into place only when complete.
    public func backup(to destination: String, replace: Bool = false) throws {
        if FileManager.default.fileExists(atPath: destination) && !replace {
            throw StoreError.invalidArgument("\(destination): already exists (use --force to replace it)")
        }
        let folder = (destination as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            throw StoreError.missingFolder(path: destination, folder: folder)
        }
        let partial = destination + ".partial-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: partial) }
        do {
            let target = try Connection(path: partial, access: .readWrite(create: true), vfs: vfs)
            try connection.backup(to: target)
        } catch let error as SQLiteError {
            throw Store.translate(error, path: destination)
        }
        if replace { try? FileManager.default.removeItem(atPath: destination) }
        try FileManager.default.moveItem(atPath: partial, toPath: destination)
    }
}
