import CSQLite
import Foundation

extension Connection {
    /// Interrupts any statement still running `seconds` from now: its next step throws an
    /// ``SQLiteError`` with `SQLITE_INTERRUPT`, and ``QueryDeadline/expired`` turns true.
    ///
    /// SQLite calls the progress handler every few thousand virtual-machine instructions, so even
    /// a query that returns no rows for ever (an endless recursive CTE under `count(*)`) stops.
    ///
    /// ```swift
    /// let deadline = connection.interrupt(after: 1)
    /// do { while try statement.step() {} } catch where deadline.expired { /* timed out */ }
    /// ```
    @discardableResult
    public func interrupt(after seconds: Double) -> QueryDeadline {
        let deadline = QueryDeadline(seconds: seconds)
        progressContext = deadline
        sqlite3_progress_handler(handle, 1000, progressHandler, Unmanaged.passUnretained(deadline).toOpaque())
        return deadline
    }
}

/// A point in time after which the connection's statements are interrupted.
final class QueryDeadline {
    public let seconds: Double
    private let end: UInt64
    public fileprivate(set) var expired = false

    init(seconds: Double) {
        self.seconds = seconds
        end = Self.now() &+ UInt64(max(0, min(seconds, 1e9)) * 1e9)
    }

    /// The monotonic clock in nanoseconds: wall-clock changes do not move the deadline.
    fileprivate static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    fileprivate func check() -> Int32 {
        if !expired && Self.now() >= end { expired = true }
        return expired ? 1 : 0
    }
}

private func progressHandler(_ context: UnsafeMutableRawPointer?) -> Int32 {
    guard let context else { return 0 }
    return Unmanaged<QueryDeadline>.fromOpaque(context).takeUnretainedValue().check()
}
