import Foundation

/// The process holding SQLite's lock on a database file, so a writer that gave up waiting can say
/// whom it waited for.
///
/// SQLite's unix VFS locks with POSIX advisory locks (`fcntl`), which any process can test with
/// `F_GETLK`: the kernel answers with the pid of a holder. Where the bytes are (SQLite's os_unix.c
/// and wal.c):
/// - WAL mode: the write lock is byte 120 of the `-shm` file (`WAL_WRITE_LOCK`, the first of the
///   eight lock bytes at `UNIX_SHM_BASE = (22 + 8) · 4`).
/// - Rollback-journal mode: a writer holds the PENDING and RESERVED bytes at 0x40000000 and
///   0x40000001 of the database file, readers the 510-byte SHARED range after them.
public struct LockHolder: Sendable, Equatable, CustomStringConvertible {
    /// What the holder does with the lock.
    public enum Role: String, Sendable { case writing, reading }

    public let pid: Int32
    public let role: Role
    /// The holder's command line (from /proc), when it can be read.
    public let command: String?

    public var description: String {
        "pid \(pid)" + (command.map { " (\($0))" } ?? "")
    }

    static let walWriteLockByte: Int64 = 120
    static let pendingByte: Int64 = 0x4000_0000
    static let sharedFirst: Int64 = pendingByte + 2
    static let sharedSize: Int64 = 510

    /// The process holding the write lock of the store at `path`, else (in rollback-journal mode)
    /// one holding a read lock; nil when no other process holds either.
    public static func find(databasePath path: String) -> LockHolder? {
        if let pid = Probe.shared.holder(of: path + "-shm", start: walWriteLockByte, length: 1) {
            return LockHolder(pid: pid, role: .writing)
        }
        if let pid = Probe.shared.holder(of: path, start: pendingByte, length: 2) {
            return LockHolder(pid: pid, role: .writing)
        }
        // In WAL mode every connection holds a SHARED lock on the database file, so a reader
        // there blocks no writer: only a rollback-journal store (no -wal) has readers to blame.
        if !FileManager.default.fileExists(atPath: path + "-wal"),
           let pid = Probe.shared.holder(of: path, start: sharedFirst, length: sharedSize) {
            return LockHolder(pid: pid, role: .reading)
        }
        return nil
    }

    init(pid: Int32, role: Role) {
        self.pid = pid
        self.role = role
        let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let words = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        // One line, whatever the command line holds (`python3 -c` scripts have newlines).
        let text = words.joined(separator: " ").split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
        command = text.isEmpty ? nil : String(text.prefix(120))
    }

    /// Tests locks through descriptors kept open for the life of the process: closing any
    /// descriptor of a file drops every POSIX lock this process holds on it — SQLite's own locks
    /// included — so a probe must never close one.
    private final class Probe: @unchecked Sendable {
        static let shared = Probe()
        private let lock = NSLock()
        private var descriptors: [String: Int32] = [:]

        func holder(of path: String, start: Int64, length: Int64) -> Int32? {
            lock.lock()
            defer { lock.unlock() }
            let descriptor: Int32
            if let known = descriptors[path] {
                descriptor = known
            } else {
                descriptor = open(path, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { return nil }
                descriptors[path] = descriptor
            }
            var query = flock()
            query.l_type = Int16(F_WRLCK)
            query.l_whence = Int16(SEEK_SET)
            query.l_start = off_t(start)
            query.l_len = off_t(length)
            guard fcntl(descriptor, F_GETLK, &query) == 0, query.l_type != Int16(F_UNLCK) else { return nil }
            return query.l_pid
        }
    }
}
