import CSQLite
import Foundation

/// An attrdb store: one SQLite file holding runs, their checkpoints, components, scans and values.
///
/// ```swift
/// let store = try Store(path: "attrdb.sqlite", access: .create)
/// for run in try store.runs() { print(run.name, run.values) }
/// ```
public final class Store {
    /// What a command needs of the store file.
    public enum Access: Sendable {
        /// Read only: the file must exist and be an attrdb store of this version.
        case read
        /// Read and write: the file must exist; its schema is upgraded when older.
        case write
        /// Read and write, creating the file when it is missing.
        case create
    }

    /// The one connection to the file. Internal: every statement the library runs is a `Store`
    /// method in Store/, so the SQL lives in one place.
    let connection: Connection
    public let path: String
    /// The SQLite VFS the store was opened through (nil: the default); a backup writes through it too.
    public let vfs: String?
    /// How long a command waits for another process's lock before it gives up (`--busy-timeout`).
    public let busyTimeout: Double

    /// How a write transaction takes its lock: `IMMEDIATE` (the write lock, readers go on), or
    /// `EXCLUSIVE` while ``withRollbackJournal(_:)`` writes a new store without the log.
    var writeLock: Connection.TransactionKind = .immediate

    /// The busy timeout when none is given: long enough for any ingest the benchmarks run.
    public static let defaultBusyTimeout: Double = 60

    /// SQLite page size for new stores. Large pages make a packed matrix a short chain of overflow
    /// pages: schema/README.md has the measurements behind it.
    static let pageSize = 65_536

    /// Opens the store at `path`; `busyTimeout` is how many seconds to wait for another
    /// process's write lock; `vfs` names a registered SQLite VFS (nil: the default one).
    public init(path: String, access: Access, busyTimeout: Double = Store.defaultBusyTimeout, vfs: String? = nil) throws {
        self.path = path
        self.busyTimeout = busyTimeout
        self.vfs = vfs
        try Store.checkPath(path, access: access)
        let isNew = !FileManager.default.fileExists(atPath: path)
        do {
            let (opened, version, tableCount) = try Store.openAndReadHeader(path: path, access: access, busyTimeout: busyTimeout, vfs: vfs)
            connection = opened
            if version == 0 && tableCount > 0 { throw StoreError.notAnAttrDBStore(path: path) }
            if version > Migration.latestVersion {
                throw StoreError.newerSchema(path: path, found: version, supported: Migration.latestVersion)
            }
            switch access {
            case .read:
                if version == 0 { throw StoreError.missing(path: path) }
                if version < Migration.latestVersion {
                    throw StoreError.needsUpgrade(path: path, found: version, supported: Migration.latestVersion)
                }
            case .write, .create:
                if version == 0 { try connection.execute("PRAGMA page_size = \(Store.pageSize)") }
                try JournalPolicy.apply(to: connection, waiting: busyTimeout)
                if version < Migration.latestVersion {
                    try Migrator.migrate(connection, path: path)
                    // A new or upgraded store is complete in its own file before anything else runs.
                    JournalPolicy.checkpoint(connection)
                }
            }
        } catch let error as SQLiteError {
            if isNew && access == .create {
                Store.removeIfUnused(at: path)
            }
            throw Store.translate(error, path: path, busyTimeout: busyTimeout)
        }
    }

    /// The store file and the files SQLite keeps beside it: the write-ahead log and its index.
    public static let fileSuffixes = ["", "-wal", "-shm", "-journal"]

    /// Removes the store file and the files SQLite keeps beside it, whoever has them open: a failed
    /// first writer calls ``removeIfUnused(at:)`` instead.
    public static func removeFiles(at path: String) {
        for suffix in fileSuffixes { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Opens the connection. Reads go through a read-write connection made query-only when the
    /// file can be written: a read-only connection cannot roll back the hot journal an ingest
    /// killed mid-way leaves behind, so the first query after a crash would fail instead of
    /// restoring the store.
    static func connect(path: String, access: Access, busyTimeout: Double = Store.defaultBusyTimeout, vfs: String? = nil) throws -> Connection {
        let milliseconds = Int32(clamping: Int64((busyTimeout * 1000).rounded()))
        switch access {
        case .write, .create:
            return try Connection(path: path, access: .readWrite(create: access == .create), busyTimeoutMilliseconds: milliseconds, vfs: vfs)
        case .read:
            guard path != ":memory:", (try? checkPath(path, access: .write)) != nil,
                  FileManager.default.isWritableFile(atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent) else {
                return try readOnlyConnection(path: path, busyTimeoutMilliseconds: milliseconds, vfs: vfs)
            }
            let connection = try Connection(path: path, access: .readWrite(create: false), busyTimeoutMilliseconds: milliseconds, vfs: vfs)
            try connection.execute("PRAGMA query_only = 1")
            return connection
        }
    }

    /// A read-only connection. A WAL-mode file needs its `-shm` beside it, which SQLite cannot make
    /// in a folder this process may not write; when there is no log either (the last writer
    /// checkpointed it away) the file alone is the whole store, and it is opened immutable.
    static func readOnlyConnection(path: String, busyTimeoutMilliseconds: Int32, vfs: String? = nil) throws -> Connection {
        do {
            let connection = try Connection(path: path, access: .readOnly, busyTimeoutMilliseconds: busyTimeoutMilliseconds, vfs: vfs)
            _ = try connection.scalar("PRAGMA schema_version")  // SQLite opens lazily: the first read finds out
            return connection
        } catch let error as SQLiteError where error.isReadOnly || error.isCannotOpen {
            guard !FileManager.default.fileExists(atPath: path + "-wal") else { throw error }
            return try Connection(path: path, access: .immutable, busyTimeoutMilliseconds: busyTimeoutMilliseconds, vfs: vfs)
        }
    }

    /// The schema version and the number of schema objects, read in one snapshot.
    /// Connects and reads the header. The first read tells a SQLite file from anything else, before
    /// any write. Version and tables come from one statement, so one snapshot: read apart, a process
    /// creating the store meanwhile (16 ingests starting at once) could commit between them, and
    /// version 0 beside its tables looked like a foreign database.
    ///
    /// While another process creates the store, or a failed creator removes the file it made, the
    /// first read can meet its journal or file going away (SQLite's `IOERR_FSTAT`, `IOERR_DELETE_NOENT`;
    /// 1 in 12 rounds of `concurrent_ingest.py` from no store file): the connection is made again
    /// every 10 ms for up to `busyTimeout` seconds, as a busy store is waited for.
    static func openAndReadHeader(path: String, access: Access, busyTimeout: Double, vfs: String?) throws
        -> (connection: Connection, version: Int, tables: Int64) {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            let connection = try connect(path: path, access: access, busyTimeout: busyTimeout, vfs: vfs)
            do {
                let (version, tables) = try versionAndTableCount(connection)
                return (connection, version, tables)
            } catch let error as SQLiteError where transientOnOpen.contains(error.extendedCode) && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
    }

    /// `SQLITE_IOERR_FSTAT` and `SQLITE_IOERR_DELETE_NOENT` (macros Swift cannot import: IOERR | 7 << 8, IOERR | 23 << 8).
    private static let transientOnOpen: Set<Int32> = [SQLITE_IOERR | (7 << 8), SQLITE_IOERR | (23 << 8)]

    static func versionAndTableCount(_ connection: Connection) throws -> (version: Int, tables: Int64) {
        let statement = try connection.cachedStatement("SELECT (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)")
        guard try statement.step() else { return (0, 0) }
        return (Int(statement.value(at: 0).int64 ?? 0), statement.value(at: 1).int64 ?? 0)
    }

    /// The schema version recorded in the file.
    public func schemaVersion() throws -> Int { try Migrator.version(of: connection) }

    static func checkPath(_ path: String, access: Access) throws {
        if path == ":memory:" { return }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue { throw StoreError.isDirectory(path: path) }
        if !exists {
            guard access == .create else { throw StoreError.missing(path: path) }
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
                throw StoreError.missingFolder(path: path, folder: folder)
            }
            return
        }
        // Root may write any file; a store whose owner took away every write bit is read-only all the same.
        if access != .read {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue ?? 0o644
            if mode & 0o222 == 0 || !FileManager.default.isWritableFile(atPath: path) {
                throw StoreError.readOnly(path: path)
            }
        }
    }

    /// Maps SQLite's codes for an unusable file to errors that name the path. A lock not had
    /// within the busy timeout names the process holding it, looked up now.
    static func translate(_ error: SQLiteError, path: String, busyTimeout: Double? = nil) -> Error {
        if error.isBusy, let busyTimeout, path != ":memory:" {
            return StoreError.locked(path: path, holder: LockHolder.find(databasePath: path), waitedSeconds: busyTimeout)
        }
        if error.isNotADatabase { return StoreError.notADatabase(path: path) }
        if error.isReadOnly { return StoreError.readOnly(path: path) }
        if error.isDiskFull { return StoreError.diskFull(path: path) }
        if error.isCannotOpen { return StoreError.cannotOpen(path: path, reason: error.message) }
        return error
    }

    /// Runs `body` in one write transaction, translating SQLite's file-level errors; throws
    /// ``StoreError/removed(path:)`` before `body` runs when the file was removed since it was opened.
    public func write<T>(_ body: () throws -> T) throws -> T {
        let result: T
        do {
            result = try connection.transaction(writeLock) {
                try checkNotRemoved()
                return try body()
            }
        } catch let error as SQLiteError {
            throw translate(error)
        }
        JournalPolicy.checkpoint(connection)
        return result
    }

    /// Runs `body` in one read transaction: every statement in it sees the same snapshot of the
    /// store, so a reader never sees half of an ingest that commits meanwhile (`attrdb serve`).
    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        do {
            return try connection.transaction(.deferred, body)
        } catch let error as SQLiteError {
            throw translate(error)
        }
    }

    /// Runs `body` in one read transaction, or in the one already open (``snapshot(_:)``, `attrdb
    /// serve`). A query that reads a row a checkpoint then takes SQLite's shared lock once: outside
    /// a transaction each statement took it, looked for a hot journal and released it again, about
    /// 3 000 system calls for the 1 000 totals of a 10⁹-value run.
    func reading<T>(_ body: () throws -> T) throws -> T {
        if connection.isInTransaction { return try body() }
        return try snapshot(body)
    }

    /// ``translate(_:path:busyTimeout:)`` for this store.
    func translate(_ error: SQLiteError) -> Error {
        Store.translate(error, path: path, busyTimeout: busyTimeout)
    }
}
