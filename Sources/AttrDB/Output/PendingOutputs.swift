import Foundation

/// The temporary files and folders being written beside their targets right now, so that a
/// process stopped by a signal can remove them before it exits instead of leaving them behind.
///
/// ```swift
/// // On SIGINT, on a thread of its own:
/// PendingOutputs.removeAll()
/// _exit(130)
/// ```
public enum PendingOutputs {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []

    static func add(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.insert(path)
    }

    static func remove(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.remove(path)
    }

    /// Removes every pending temporary file and folder. The lock stays held, so no new one can be
    /// registered (and so begun) between this and the exit that should follow.
    public static func removeAll() {
        lock.lock()
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
        paths = []
    }
}
