import CSQLite

extension Connection {
    /// Refuses, at prepare time, every statement that could change a database or the connection's
    /// files: writes, schema changes, ATTACH/DETACH, and PRAGMAs that set a value. SQLite asks the
    /// authorizer for each action a statement would take, so this holds for statements nested in
    /// triggers, CTEs and views too. One exception, which SQLite itself needs: an UPDATE of
    /// `sqlite_master` outside a trigger (see below) — so callers also check
    /// ``Statement/isReadOnly``, and the connection should be opened read-only.
    /// Statements refused since are counted in the returned guard, so a caller can tell a refusal
    /// from another failure whatever code SQLite reports it with.
    @discardableResult
    public func restrictToReading() throws -> ReadOnlyGuard {
        let guardian = ReadOnlyGuard()
        authorizerContext = guardian
        try check(sqlite3_set_authorizer(handle, readOnlyAuthorizer, Unmanaged.passUnretained(guardian).toOpaque()))
        return guardian
    }
}

/// Counts what the read-only authorizer refused.
final class ReadOnlyGuard {
    public fileprivate(set) var refusals = 0
}

/// PRAGMAs whose argument names what to read rather than a value to set.
private let readingPragmas: Set<String> = [
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "foreign_key_check", "integrity_check", "quick_check", "function_list", "pragma_list", "module_list",
    "collation_list", "database_list", "compile_options",
]

/// Functions a read could misuse: `fts3_tokenizer` returns (and with two arguments takes) a raw
/// pointer to C code, and `load_extension` runs a shared library. Neither is needed to read.
private let refusedFunctions: Set<String> = ["fts3_tokenizer", "load_extension"]

private let readingActions: Set<Int32> = [
    SQLITE_SELECT, SQLITE_READ, SQLITE_FUNCTION, SQLITE_RECURSIVE, SQLITE_TRANSACTION, SQLITE_SAVEPOINT,
    SQLITE_CREATE_TEMP_VIEW, SQLITE_DROP_TEMP_VIEW,
]

private func readOnlyAuthorizer(_ context: UnsafeMutableRawPointer?, _ action: Int32, _ first: UnsafePointer<CChar>?,
                                _ second: UnsafePointer<CChar>?, _ database: UnsafePointer<CChar>?, _ trigger: UnsafePointer<CChar>?) -> Int32 {
    if action == SQLITE_FUNCTION {
        let name = second.map { String(cString: $0).lowercased() } ?? ""
        if !refusedFunctions.contains(name) { return SQLITE_OK }
    } else if readingActions.contains(action) {
        return SQLITE_OK
    }
    // The first use of an eponymous virtual table (pragma_table_info, json_each) on a connection
    // asks to UPDATE sqlite_master's columns as SQLite sets the table up; nothing is written.
    // A real UPDATE of sqlite_master is still refused: the connection is read-only and defensive,
    // and `attrdb sql` runs only statements SQLite reports read-only.
    if action == SQLITE_UPDATE, let table = first.map({ String(cString: $0) }), ["sqlite_master", "sqlite_schema"].contains(table),
       trigger == nil {
        return SQLITE_OK
    }
    if action == SQLITE_PRAGMA {
        let name = first.map { String(cString: $0).lowercased() } ?? ""
        if second == nil || readingPragmas.contains(name) { return SQLITE_OK }
    }
    if let context { Unmanaged<ReadOnlyGuard>.fromOpaque(context).takeUnretainedValue().refusals += 1 }
    return SQLITE_DENY
}
