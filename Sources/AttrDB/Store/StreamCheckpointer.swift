import Foundation

/// Copies a frame stream's commits from the write-ahead log into the database file on a thread and
/// a connection of its own, while the writer goes on committing frames.
///
/// Without it the whole log is copied back, and the database file synced, when the stream ends:
/// for a stream of 400 kB frames that was 15–20 % of the time from the first frame to the last
/// `ok`, and the fixed cost of a short stream (a scan's). With it the end finds the log copied
/// back up to the last frame or two. The checkpoints are SQLite's own passive ones: they never
/// wait for or block the writer or any reader, copy only what no reader's snapshot still needs,
/// sync the log before copying and the database after (so a crash, power included, leaves the
/// store as durable as the log was), and a checkpoint that cannot finish is no failure.
///
/// The writer calls ``committed(payloadBytes:)`` after each commit (a wake-up, never a wait), ``pause(_:)``
/// around a checkpoint of its own, and ``stop()`` before the stream's end, which then copies back
/// what is left on the writer's connection (``Store/endStream()``).
final class StreamCheckpointer: @unchecked Sendable {
    /// The frame payload after which the writer checkpoints itself, with this thread paused, and
    /// so resets the log: a checkpoint that copies everything lets the next commit write the log
    /// from its start, over pages the kernel already holds (JournalPolicy.checkpointInPlace).
    /// The thread alone rarely gets there, for the writer's next commit is under way while it
    /// copies: the log of 100 frames of 400 kB grew to 68 MB, all of it pages the kernel had to
    /// allocate (~2.2 s of system time per GB on the VM we measure on, ~15 times an overwrite)
    /// and free again when the stream's end empties it. At 16 MiB that log stays under 30 MB,
    /// for a database sync of ~12 ms in the writer per 16 MiB. Measured on that stream (11 rounds,
    /// load 3.7-4.1): 0.387 s median against 0.420 s with the log grown whole, and 0.506 s when the
    /// same checkpoints truncate the log; later rounds at other loads showed no difference beyond
    /// the noise between keeping the log and growing it whole, only that truncating is slower.
    static let writerCheckpointBytes = 16 << 20

    /// Commits that together hold less payload than this are checkpointed at most once per
    /// ``smallCommitInterval``. Each checkpoint syncs the log and the database file, and each
    /// time it catches up the writer's next commit starts the log again and syncs its header: a
    /// scan of a tiny model (a 6.6 kB matrix every ~40 ms, ~590 kB of log a commit, most of it
    /// the same metadata pages) paid 3 syncs and a copy back of those pages per checkpoint.
    /// Frames of 400 kB are over it and checkpointed as they come.
    static let eagerBytes = 1 << 20
    /// See ``eagerBytes``.
    static let smallCommitInterval: TimeInterval = 0.1

    // Unchecked: every mutable field is behind `condition`; the connection is made, used and
    // closed on the checkpointing thread only.
    private let condition = NSCondition()
    /// A commit since the thread last began a checkpoint.
    private var pending = false
    /// The payload of the commits since the thread last began a checkpoint.
    private var pendingBytes = 0
    /// When the thread's last checkpoint ended.
    private var lastEnded = Date.distantPast
    /// Checkpoints the thread began (for tests).
    private var begun = 0
    /// The writer checkpoints itself: the thread begins none.
    private var paused = false
    /// The thread is inside a checkpoint.
    private var busy = false
    private var stopping = false
    private var finished = false

    /// Starts the thread for the store at `path` (none for an in-memory store, which has no log).
    init?(path: String, vfs: String?) {
        guard path != ":memory:", !path.isEmpty else { return nil }
        let thread = Thread { [self] in run(path: path, vfs: vfs) }
        thread.name = "attrdb-checkpoint"
        thread.start()
    }

    /// Says that the writer committed `payloadBytes` of frames: the thread copies them back when
    /// it is free (for small commits, once ``smallCommitInterval`` has passed since its last copy).
    func committed(payloadBytes: Int) {
        condition.lock()
        pending = true
        pendingBytes += payloadBytes
        condition.signal()
        condition.unlock()
    }

    /// How many checkpoints the thread has begun.
    var checkpointsBegun: Int {
        condition.lock()
        defer { condition.unlock() }
        return begun
    }

    /// Runs `body` (the writer's own checkpoint) with no checkpoint of the thread's under way, so
    /// that the writer's is not refused for want of the checkpoint lock.
    func pause<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        paused = true
        while busy { condition.wait() }
        condition.unlock()
        defer {
            condition.lock()
            paused = false
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }

    /// Stops the thread, waiting for a checkpoint under way, and closes its connection. Idempotent.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func run(path: String, vfs: String?) {
        // No connection, no checkpoints: the stream's end copies the log back, as without this.
        var connection = try? Connection(path: path, access: .readWrite(create: false), busyTimeoutMilliseconds: 0, vfs: vfs)
        // The first read opens the log, which a checkpoint needs.
        _ = try? connection?.scalar("PRAGMA schema_version")
        condition.lock()
        while true {
            while !stopping && (!pending || paused) { condition.wait() }
            if stopping { break }
            let due = lastEnded.addingTimeInterval(Self.smallCommitInterval)
            if pendingBytes < Self.eagerBytes, Date() < due {
                // Woken by a commit, a pause's end or the time: the conditions are checked again.
                _ = condition.wait(until: due)
                continue
            }
            pending = false
            pendingBytes = 0
            begun += 1
            busy = true
            condition.unlock()
            _ = try? connection?.checkpoint(.passive)
            condition.lock()
            lastEnded = Date()
            busy = false
            condition.broadcast()
        }
        condition.unlock()
        // The connection closes before `stop()` returns: the writer's close is then the last one.
        connection = nil
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }
}
