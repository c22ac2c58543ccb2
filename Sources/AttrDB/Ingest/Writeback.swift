import Foundation

/// Starts the kernel writing a file's dirty pages to disk without waiting for it, so the fsync
/// of a large commit finds most of the work done: ingest computes the next checkpoints while the
/// disk writes the last ones. Safe for SQLite: pages are only ever written back earlier than
/// they would be anyway; the journal's ordering does not depend on when that happens. It makes
/// nothing durable (only fsync does), so the fault-injection tests' power-loss model, which undoes
/// every write no fsync covered, rightly ignores it.
///
/// Closing a descriptor drops every POSIX lock the process holds on the file, SQLite's included,
/// so ingest opens it on the write-ahead log, which SQLite never locks, not on the database file.
final class Writeback {
    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    private var descriptor: Int32
    private let syncFileRange: SyncFileRange?

    /// Opens `path` for the purpose; does nothing where the call is unavailable.
    init(path: String) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        // sync_file_range(2) is Linux-only and Glibc's Swift module does not export it.
        syncFileRange = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range").map { unsafeBitCast($0, to: SyncFileRange.self) }
    }

    deinit { release() }

    /// Closes the descriptor now, at a moment its owner knows no lock of SQLite's on the file is held;
    /// ``start(sparing:)`` does nothing after it.
    func release() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    /// Asks for the file's dirty pages to be written back (SYNC_FILE_RANGE_WRITE), all but the
    /// last `sparing` bytes. A write-ahead log's frames (24 + 65 536 bytes) do not end on page
    /// boundaries, so the next frame writes into the last page of this one: where the disk wants
    /// stable pages, a write to a page under writeback waits for the disk.
    func start(sparing: Int64 = 0) {
        guard descriptor >= 0, let syncFileRange else { return }
        guard sparing > 0 else {
            _ = syncFileRange(descriptor, 0, 0, 2)
            return
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return }
        let end = (Int64(status.st_size) - sparing) & ~4095
        if end > 0 { _ = syncFileRange(descriptor, 0, end, 2) }
    }
}
