import CSQLite

extension Connection {
    /// Copies this database into `destination` with SQLite's online backup API: a consistent
    /// snapshot even while other connections write, taken `pagesPerStep` pages at a time and
    /// restarted by SQLite when a writer changes the source meanwhile.
    public func backup(to destination: Connection, pagesPerStep: Int32 = 256) throws {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw destination.lastError(code: sqlite3_errcode(destination.handle), sql: "backup")
        }
        var code: Int32
        repeat {
            code = sqlite3_backup_step(backup, pagesPerStep)
            if code == SQLITE_BUSY || code == SQLITE_LOCKED { sqlite3_sleep(10) }
        } while code == SQLITE_OK || code == SQLITE_BUSY || code == SQLITE_LOCKED
        let finish = sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE else { throw destination.lastError(code: code, sql: "backup") }
        try destination.check(finish, sql: "backup")
    }
}
