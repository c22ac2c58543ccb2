import Foundation

/// Writing a store this process has just made without the write-ahead log: `ingest` and `merge`
/// into a new store.
///
/// In WAL mode every page is written twice: to the log at the commit, then to the database by the
/// checkpoint. A rollback journal writes pages the transaction appends to the file only once (it
/// copies only pages that existed before, to restore them), which for a new store is all but a
/// few dozen. At 10⁹ values that is 4.6 GB written instead of 9.2 GB (schema/README.md, "Journal").
/// The rollback journal's drawback, a reader blocking the writer, cannot arise in a store that
/// did not exist a moment ago: nobody can hold a snapshot of it yet, and the transaction takes the
/// exclusive lock at its start, so a reader that arrives meanwhile waits for the commit (up to its
/// busy timeout) instead of keeping the writer from spilling pages, which would hold the whole
/// ingest in memory.
extension Store {
    /// Runs `body` (its writes) with a rollback journal instead of the write-ahead log, then puts
    /// the store back in WAL mode. For a store this process has just made, which nobody else can
    /// have open yet. When another connection has the store open the switch is not made and `body`
    /// runs in WAL mode; when the switch back cannot be made, the next command that opens the store
    /// to write makes it (``JournalPolicy/apply(to:)``). Crash safety is the rollback journal's:
    /// a transaction cut short is rolled back by the next connection that opens the file.
    ///
    /// Meanwhile the kernel is asked every 50 ms to start writing the store's dirty pages
    /// (``PeriodicWriteback``), so the commit's fsync does not begin writing the whole store only
    /// once the writing is done. Its descriptor is closed before the switch back to WAL, between
    /// transactions, when a connection in rollback mode holds no lock that closing could drop.
    public func withRollbackJournal<T>(_ body: () throws -> T) throws -> T {
        // Leaving WAL deletes the log by name, which is another store's once this file was removed.
        try checkNotRemoved()
        let switched = (try? connection.scalar("PRAGMA journal_mode = DELETE"))??.string == "delete"
        guard switched else { return try body() }
        writeLock = .exclusive
        defer {
            writeLock = .immediate
            try? JournalPolicy.apply(to: connection)
        }
        let writeback = PeriodicWriteback(path: path)
        defer { writeback.stop() }
        return try body()
    }
}
