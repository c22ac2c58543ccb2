import Foundation

/// How a store journals its writes and when the write-ahead log is copied back: the store's
/// concurrency model. schema/README.md has the measurements behind it.
///
/// - **WAL**, so a reader never blocks a writer and a writer never blocks a reader: a reader keeps
///   the snapshot it began with (a notebook holding `BEGIN; SELECT …` for an hour included) while
///   ingests commit beside it. Writers still take turns: `BEGIN IMMEDIATE` waits up to the busy
///   timeout for the write lock, then fails naming the process that holds it.
/// - **`synchronous = FULL`**: the commit fsyncs the log, so what an ingest reported is on disk
///   when the command exits, whether or not its checkpoint could finish.
/// - **Explicit checkpoints after every write**, never in the middle of one: a passive checkpoint
///   copies what no reader still needs without waiting for anybody; when it copied everything the
///   log is truncated to zero bytes, again without waiting. A reader holding an old snapshot leaves
///   the log in place (one ingest's worth of pages); the next write's checkpoint — or SQLite's own,
///   when the last connection closes — copies it back. A frame stream, whose commits come one per
///   frame, is checkpointed as it goes by a connection of its own (``StreamCheckpointer``).
enum JournalPolicy {
    /// Caps the log file SQLite keeps for reuse after a checkpoint resets it.
    static let journalSizeLimit = 64 << 20

    /// Puts a connection that writes into WAL mode (persistent in the file: a store made by an
    /// older attrdb is converted the first time it is opened to write) with durable commits.
    ///
    /// `PRAGMA journal_mode` takes the file's lock without calling the busy handler, so while
    /// another process holds it (making the same new store in its first transaction) the switch
    /// fails at once; it is tried again every 10 ms for up to `waiting` seconds.
    static func apply(to connection: Connection, waiting: Double = 0) throws {
        let deadline = Date().addingTimeInterval(waiting)
        while true {
            do {
                try connection.execute("PRAGMA journal_mode = WAL")
                break
            } catch let error as SQLiteError where error.isBusy && Date() < deadline {
                usleep(10_000)
            }
        }
        try connection.execute("PRAGMA synchronous = FULL")
        // Checkpoints are ours (below): SQLite's automatic one would run inside a commit and wait.
        try connection.execute("PRAGMA wal_autocheckpoint = 0")
        try connection.execute("PRAGMA journal_size_limit = \(journalSizeLimit)")
        try connection.execute("PRAGMA cache_size = -\(writerCacheKiB)")
    }

    /// The page cache of a connection that writes, in KiB: 16 MiB, 256 pages of 64 KiB. SQLite's
    /// default, 2 000 KiB, holds 31 pages, fewer than one 4 MB matrix: every checkpoint of an ingest
    /// pushed the pages it shares with the next one (the leaf pages of the summaries, the indexes)
    /// out to the log, and the next checkpoint changed them again. A page changed again after it
    /// went to the log is overwritten there, and the commit then re-reads the whole log from that
    /// frame on to recompute its checksums: 4.5 GB read again at 10⁹ values. The cache only grows
    /// as pages are touched, so a small write costs no more memory than before.
    static let writerCacheKiB = 16 << 10

    /// A frame stream's commits (`attrdb ingest - --format frames`): `synchronous = NORMAL`, so a
    /// commit appends its pages to the log without waiting for the disk. Each frame stays atomic
    /// (the log's checksums and commit marks make a torn frame invisible) and survives the crash
    /// of either process (its pages are in the kernel's cache); only a power loss or kernel crash
    /// can lose the frames since the last sync. The stream syncs at every checkpoint (its own
    /// thread's, and the writer's once per ``StreamCheckpointer/writerCheckpointBytes``) and at its end (``Store/endStream()``). An fsync per frame
    /// capped a Python writer at 4.7 M values/s for 400 kB frames; this is what lets it reach
    /// tens of millions (docs/stream-format.md has the figures).
    static func applyStreaming(to connection: Connection) throws {
        // A commit of several frames (CommitBatch, at most 8 MiB) keeps all its pages in the
        // writer's cache (``writerCacheKiB``, set when the store was opened to write).
        try connection.execute("PRAGMA synchronous = NORMAL")
    }

    /// Copies the log back into the database as far as readers allow, without waiting for them,
    /// and empties the log when it is all copied. A checkpoint that cannot finish is no failure: the
    /// commit is durable in the log, and a later checkpoint finishes the copy.
    static func checkpoint(_ connection: Connection) {
        // Truncating needs no committed frames: after a rollback the log holds only abandoned ones.
        guard let passive = try? connection.checkpoint(.passive), passive.checkpointed == passive.logFrames else { return }
        _ = try? connection.checkpoint(.truncate, waitingMilliseconds: 0)
    }

    /// Copies the log back like ``checkpoint(_:)`` but keeps the log file: once everything is
    /// copied, the next write starts the log again from its beginning, overwriting pages the
    /// kernel already holds (SQLite then trims the file to ``journalSizeLimit``). A frame stream
    /// checkpoints this way in its middle: on this VM a page the kernel must newly allocate costs
    /// ~15 times one it overwrites, and a log truncated to zero is all new pages again.
    static func checkpointInPlace(_ connection: Connection) {
        _ = try? connection.checkpoint(.passive)
    }
}
