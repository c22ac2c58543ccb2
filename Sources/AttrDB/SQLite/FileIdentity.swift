import CSQLite

extension Connection {
    /// True when the main database file was unlinked or replaced since this connection opened it
    /// (SQLite's `SQLITE_FCNTL_HAS_MOVED`: the inode at the path is another, or none). Writing then
    /// would go to a file no path leads to (StoreRemoval.swift).
    var fileHasMoved: Bool {
        var moved: Int32 = 0
        guard sqlite3_file_control(handle, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK else { return false }
        return moved != 0
    }
}
