/// An open transaction on a connection: the one way the library begins, commits and rolls back.
///
/// ``Connection/transaction(_:_:)`` scopes one to a closure; a writer whose work spans many calls
/// (``Recorder``) holds one from ``Connection/beginTransaction(_:)`` and commits it at the end.
/// Released while still open, it rolls back, so an abandoned write leaves nothing behind.
///
/// ```swift
/// let transaction = try db.beginTransaction()
/// try db.run("INSERT INTO metric(name) VALUES ('loss')")
/// try transaction.commit()
/// ```
final class Transaction {
    private let connection: Connection
    /// True until the transaction is committed or rolled back.
    public private(set) var isOpen = true

    fileprivate init(connection: Connection, kind: Connection.TransactionKind) throws {
        self.connection = connection
        try connection.execute("BEGIN \(kind.rawValue)")
    }

    deinit {
        rollback()
    }

    /// Commits. When COMMIT fails the transaction stays open, for ``rollback()``.
    public func commit() throws {
        precondition(isOpen, "commit of a finished transaction")
        try connection.execute("COMMIT")
        isOpen = false
    }

    /// Rolls back whatever the transaction did; does nothing once it is finished. SQLite may have
    /// rolled back already (after an I/O error or a full disk): then there is nothing to undo.
    public func rollback() {
        guard isOpen else { return }
        isOpen = false
        if connection.isInTransaction { try? connection.execute("ROLLBACK") }
    }
}

extension Connection {
    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        /// Takes the write lock at once: the kind for every write, so two writers never deadlock.
        case immediate = "IMMEDIATE"
        case deferred = "DEFERRED"
        case exclusive = "EXCLUSIVE"
    }

    /// Begins a transaction that lasts until it is committed, rolled back or released.
    public func beginTransaction(_ kind: TransactionKind = .immediate) throws -> Transaction {
        try Transaction(connection: self, kind: kind)
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws.
    /// The body's error is rethrown; a failing rollback never hides it.
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        let transaction = try beginTransaction(kind)
        do {
            let result = try body()
            try transaction.commit()
            return result
        } catch {
            transaction.rollback()
            throw error
        }
    }

    /// Runs `body` in a savepoint, which nests inside transactions and other savepoints.
    public func savepoint<T>(_ name: String = "attrdb", _ body: () throws -> T) throws -> T {
        let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try execute("SAVEPOINT \(quoted)")
        let result: T
        do {
            result = try body()
            try execute("RELEASE \(quoted)")
        } catch {
            try? execute("ROLLBACK TO \(quoted)")
            try? execute("RELEASE \(quoted)")
            throw error
        }
        return result
    }
}
