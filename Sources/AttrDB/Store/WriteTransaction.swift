import Foundation

/// A store's write transactions that span many calls (an ingest's), on the connection's one
/// transaction mechanism: begun, committed and abandoned with the store's error translation,
/// checkpoints and recovery.
extension Store {
    /// Begins a write transaction (`BEGIN IMMEDIATE`, or ``writeLock``: waits for another writer up to the busy timeout).
    /// Throws ``StoreError/removed(path:)``, having written nothing, when the file was removed
    /// since it was opened (StoreRemoval.swift).
    func beginWrite() throws -> Transaction {
        let transaction: Transaction
        do {
            transaction = try connection.beginTransaction(writeLock)
        } catch let error as SQLiteError {
            throw translate(error)
        }
        try checkNotRemoved()
        return transaction
    }

    /// Commits `transaction`, then checkpoints the log unless `checkpoint` is false (a stream's
    /// frames are checkpointed by ``StreamCheckpointer`` and ``checkpointStream()`` instead).
    func commit(_ transaction: Transaction, checkpoint: Bool = true) throws {
        do {
            try transaction.commit()
        } catch let error as SQLiteError {
            throw translate(error)
        }
        if checkpoint { JournalPolicy.checkpoint(connection) }
    }

    /// Makes the commits that follow atomic but not each durable: a stream of many small
    /// transactions ends with ``endStream()``, which makes them all durable. Between transactions only.
    func beginStream() throws {
        try JournalPolicy.applyStreaming(to: connection)
    }

    /// A thread that copies a stream's commits back into the database file while it goes on
    /// (nil for an in-memory store). Stopped before ``endStream()``.
    func streamCheckpointer() -> StreamCheckpointer? {
        StreamCheckpointer(path: path, vfs: vfs)
    }

    /// Copies a stream's log back between its transactions, keeping the log file to be written
    /// again from its start (``JournalPolicy/checkpointInPlace(_:)``); ``endStream()`` empties it.
    func checkpointStream() {
        JournalPolicy.checkpointInPlace(connection)
    }

    /// Makes every commit durable again, and what the stream committed durable now: the log is
    /// synced by the checkpoint. Between transactions only.
    func endStream() {
        try? JournalPolicy.apply(to: connection)
        JournalPolicy.checkpoint(connection)
    }

    /// Rolls `transaction` back and leaves the file as it was before it began.
    func abandon(_ transaction: Transaction) {
        transaction.rollback()
        // Empties the log the abandoned pages went to: after a full disk, that frees the space.
        JournalPolicy.checkpoint(connection)
        Store.playBackHotJournal(connection)
    }

    /// After an I/O error (a full disk) SQLite may leave a rollback journal hot for the next
    /// reader to play back; reading now plays it back at once, so the file is as it was when the
    /// caller returns.
    static func playBackHotJournal(_ connection: Connection) {
        _ = try? connection.scalar("SELECT count(*) FROM sqlite_schema")
    }

    /// ``playBackHotJournal(_:)`` for a store whose connection is closed: a failed one may leave
    /// its journal behind.
    static func playBackHotJournal(path: String) {
        guard FileManager.default.fileExists(atPath: path + "-journal"),
              let connection = try? Connection(path: path, access: .readWrite(create: false)) else { return }
        playBackHotJournal(connection)
    }
}
