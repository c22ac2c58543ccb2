import CSQLite

/// Compiled statements kept by SQL text for reuse, at most `limit` of them; the one unused longest
/// is finalized to make room. It holds raw handles, not ``Statement``s: a statement keeps its
/// connection alive, and the connection owns the cache.
struct StatementCache {
    let limit: Int
    private var handles: [String: OpaquePointer] = [:]
    /// SQL texts from the least to the most recently given back.
    private var order: [String] = []

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { handles.count }

    /// Removes and returns the statement for `sql`, if one is waiting.
    mutating func take(_ sql: String) -> OpaquePointer? {
        guard let handle = handles.removeValue(forKey: sql) else { return nil }
        order.removeAll { $0 == sql }
        return handle
    }

    /// Keeps `handle` for `sql`; false (the caller finalizes it) when one for the same text is
    /// already waiting, or there is no room.
    mutating func put(_ handle: OpaquePointer, sql: String) -> Bool {
        guard limit > 0, handles[sql] == nil else { return false }
        if handles.count >= limit, let oldest = order.first {
            order.removeFirst()
            if let evicted = handles.removeValue(forKey: oldest) { sqlite3_finalize(evicted) }
        }
        handles[sql] = handle
        order.append(sql)
        return true
    }

    /// Finalizes every waiting statement: the connection is closing.
    mutating func finalizeAll() {
        for handle in handles.values { sqlite3_finalize(handle) }
        handles = [:]
        order = []
    }
}
