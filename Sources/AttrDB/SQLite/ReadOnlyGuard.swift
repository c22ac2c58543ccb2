import CSQLite

extension Connection {
    /// Refuses, at prepare time, every statement that could change a database or the connection's
    /// files: writes, schema changes, ATTACH/DETACH, and PRAGMAs that set a value. SQLite asks the
    /// authorizer for each action a statement would take, so this holds for statements nested in
    /// triggers, CTEs and views too.
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
public final class ReadOnlyGuard {
    public fileprivate(set) var refusals = 0
}

/// PRAGMAs whose argument names what to read rather than a value to set.
private let readingPragmas: Set<String> = [
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo", "foreign_key_list",
    "foreign_key_check", "integrity_check", "quick_check", "function_list", "pragma_list", "module_list",
    "collation_list", "database_list", "compile_options",
]

private let readingActions: Set<Int32> = [
    SQLITE_SELECT, SQLITE_READ, SQLITE_FUNCTION, SQLITE_RECURSIVE, SQLITE_TRANSACTION, SQLITE_SAVEPOINT,
    SQLITE_CREATE_TEMP_VIEW, SQLITE_DROP_TEMP_VIEW,
]

private func readOnlyAuthorizer(_ context: UnsafeMutableRawPointer?, _ action: Int32, _ first: UnsafePointer<CChar>?,
                                _ second: UnsafePointer<CChar>?, _ database: UnsafePointer<CChar>?, _ trigger: UnsafePointer<CChar>?) -> Int32 {
    if readingActions.contains(action) { return SQLITE_OK }
    if action == SQLITE_PRAGMA {
        let name = first.map { String(cString: $0).lowercased() } ?? ""
        if second == nil || readingPragmas.contains(name) { return SQLITE_OK }
    }
    if let context { Unmanaged<ReadOnlyGuard>.fromOpaque(context).takeUnretainedValue().refusals += 1 }
    return SQLITE_DENY
}
