import Foundation

/// The power-loss model: what each file held before every write or truncation that no fsync has
/// made durable yet, so a power cut can put it back.
///
/// Files are known by inode through a descriptor of our own, kept open until ``forget()``: the
/// undo then reaches a journal SQLite already deleted and a backup already renamed into place,
/// and the inode cannot be reused meanwhile. Directory entries (creating, deleting, renaming a
/// file) are taken as durable at once; only file contents are lost.
///
/// Not thread-safe: ``FaultVFS`` calls it under its lock.
final class UnsyncedWrites {
    /// A file by device and inode.
    struct Inode: Hashable {
        let device: UInt64
        let number: UInt64
    }

    /// One change not yet synced: the bytes `[offset, offset + old.count)` held `old`, and the
    /// file was `oldSize` long. A write of `written` bytes; a truncation has `written == 0`.
    private struct Change {
        let offset: Int64
        let written: Int
        let old: [UInt8]
        let oldSize: Int64
    }

    private struct File {
        let descriptor: Int32
        let path: String
        let isMainDatabase: Bool
        var pending: [Change] = []
    }

    /// Sector size for torn writes: a cut keeps whole 512-byte sectors of the write in flight.
    static let sectorSize: Int64 = 512

    private var files: [Inode: File] = [:]
    private var spare: [Int32] = []

    /// Starts following the file at `path`; nil when it cannot be opened.
    func track(path: String, isMainDatabase: Bool) -> Inode? {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { close(descriptor); return nil }
        let inode = Inode(device: UInt64(status.st_dev), number: UInt64(status.st_ino))
        if files[inode] != nil {
            // Already followed: one descriptor is enough, but closing this one now would drop
            // the locks SQLite holds on the file, so it waits for forget().
            spare.append(descriptor)
        } else {
            files[inode] = File(descriptor: descriptor, path: path, isMainDatabase: isMainDatabase)
        }
        return inode
    }

    func willWrite(_ inode: Inode, offset: Int64, count: Int) {
        guard let file = files[inode] else { return }
        let size = fileSize(file.descriptor)
        let kept = max(0, min(offset + Int64(count), size) - offset)
        files[inode]?.pending.append(Change(offset: offset, written: count, old: read(file.descriptor, offset: offset, count: Int(kept)), oldSize: size))
    }

    func willTruncate(_ inode: Inode, size: Int64) {
        guard let file = files[inode] else { return }
        let oldSize = fileSize(file.descriptor)
        guard size < oldSize else { return }
        files[inode]?.pending.append(Change(offset: size, written: 0, old: read(file.descriptor, offset: size, count: Int(oldSize - size)), oldSize: oldSize))
    }

    /// An fsync made everything written to the file so far durable.
    func synced(_ inode: Inode) {
        files[inode]?.pending.removeAll()
    }

    /// The power is cut: every unsynced change is undone, newest first. With `torn`, the file's
    /// last write was in flight and keeps whole sectors up to the middle of its range; the writes
    /// before it reached the disk. Shared-memory files do not survive either.
    func cutPower(torn: Bool) {
        for file in files.values {
            var undo = file.pending[...]
            var keptOfLast: Int64 = 0
            if torn, let last = file.pending.last(where: { $0.written > 0 }), let index = file.pending.lastIndex(where: { $0.written > 0 }) {
                undo = file.pending[index...]
                keptOfLast = UnsyncedWrites.tornPrefix(offset: last.offset, count: Int64(last.written))
            }
            for (position, change) in zip(undo.indices, undo).reversed() {
                let keep = torn && position == undo.startIndex ? keptOfLast : 0
                undoChange(change, keeping: keep, in: file.descriptor)
            }
            if file.isMainDatabase { unlink(file.path + "-shm") }
        }
    }

    /// Closes the descriptors; call with every SQLite connection on these files closed, since
    /// closing a descriptor drops the process's POSIX locks on the file.
    func forget() {
        for file in files.values { close(file.descriptor) }
        for descriptor in spare { close(descriptor) }
        files = [:]
        spare = []
    }

    /// How many bytes of a write at `offset` of `count` bytes land when the cut tears it: whole
    /// sectors up to the sector boundary nearest its middle (0 when it spans no boundary).
    static func tornPrefix(offset: Int64, count: Int64) -> Int64 {
        let end = offset + count
        let middle = offset + count / 2
        let boundary = (middle / sectorSize) * sectorSize
        return boundary > offset && boundary < end ? boundary - offset : 0
    }

    // MARK: - File access

    private func undoChange(_ change: Change, keeping keep: Int64, in descriptor: Int32) {
        if Int64(change.old.count) > keep {
            change.old.withUnsafeBytes { bytes in
                let rest = UnsafeRawBufferPointer(rebasing: bytes[Int(keep)...])
                _ = pwrite(descriptor, rest.baseAddress, rest.count, off_t(change.offset + keep))
            }
        }
        let size = change.written > 0 ? max(change.oldSize, change.offset + keep) : change.oldSize
        if fileSize(descriptor) > size { _ = ftruncate(descriptor, off_t(size)) }
    }

    private func fileSize(_ descriptor: Int32) -> Int64 {
        var status = stat()
        return fstat(descriptor, &status) == 0 ? Int64(status.st_size) : 0
    }

    private func read(_ descriptor: Int32, offset: Int64, count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        return Array(bytes.prefix(max(0, got)))
    }
}
