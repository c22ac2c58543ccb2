import Foundation

/// Removing the store a failed first writer made, without ever removing one another process uses.
///
/// Bad input leaves no file behind: an ingest or merge that created the store and stored nothing
/// removes it again. But 16 ingests starting at once race to create one store, and one of them
/// failing must not take the others' runs with it (a process that opened the file just before it
/// was unlinked would write into a file no path leads to, and report success). So:
/// - the failed creator removes the files only while it holds the write lock, and only when no run
///   is stored ( ``removeIfUnused(at:)`` );
/// - every writer, once it holds the write lock, checks that its file is still the one at the path
///   before it writes ( ``checkNotRemoved()`` ), and otherwise stops with
///   ``StoreError/removed(path:)``, having written nothing;
/// - the writer then opens the path afresh ( ``writing(path:busyTimeout:_:)`` ).
/// A writer that held the lock first has committed its run by the time the creator gets it, so the
/// store is kept; a writer that gets it after sees the file gone.
extension Store {
    /// Removes the store at `path` (with its log, index and journal) unless another process holds
    /// its write lock or has stored a run in it. Never waits for the lock: a writer holding it is
    /// about to store a run.
    public static func removeIfUnused(at path: String) {
        guard path != ":memory:", FileManager.default.fileExists(atPath: path),
              let connection = try? Connection(path: path, access: .readWrite(create: false), busyTimeoutMilliseconds: 0) else { return }
        guard (try? connection.execute("BEGIN IMMEDIATE")) != nil else { return }
        defer { try? connection.execute("ROLLBACK") }
        // A file made before its schema (or not a database at all) holds no run either.
        let hasRun = (try? connection.scalar("SELECT EXISTS (SELECT 1 FROM run)"))?.int64 ?? 0
        if hasRun == 0 { removeFiles(at: path) }
    }

    /// Throws ``StoreError/removed(path:)`` when the file this store has open is no longer the one
    /// at its path. Called with the write lock held, before anything is written.
    func checkNotRemoved() throws {
        guard path != ":memory:", connection.fileHasMoved else { return }
        throw StoreError.removed(path: path)
    }

    /// Opens the store at `path` for writing (creating it when missing) and runs `body` with it;
    /// when another process removed the file in between (``removeIfUnused(at:)``), opens the path
    /// afresh and runs `body` again. `body` must write nothing before its first write transaction,
    /// which is where the removal shows.
    public static func writing<T>(path: String, busyTimeout: Double = Store.defaultBusyTimeout, _ body: (Store) throws -> T) throws -> T {
        var attempts = 0
        while true {
            attempts += 1
            do {
                return try body(try Store(path: path, access: .create, busyTimeout: busyTimeout))
            } catch StoreError.removed where attempts < Store.reopenAttempts {
                continue
            }
        }
    }

    /// How often ``writing(path:busyTimeout:_:)`` opens a removed store's path again: each removal
    /// needs another creator to fail, so more than a few in a row means something else is wrong.
    static let reopenAttempts = 8
}
