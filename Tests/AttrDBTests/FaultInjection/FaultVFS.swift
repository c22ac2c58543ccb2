import CSQLite
import Foundation

/// A SQLite VFS over the default (unix) one that counts the I/O a connection does and fails it on
/// demand, as SQLite's own crash tests do: the N-th read, write, sync, truncate or delete fails
/// (and every later write after it, like a dead disk), or the power is cut after the N-th one.
///
/// A store opened with `vfs: FaultVFS.name` goes through it, journal, WAL and shared memory
/// included; every other connection in the process keeps the default VFS. One plan at a time:
/// ``arm(_:)`` before the work, ``disarm()`` after every connection of the trial is closed.
final class FaultVFS: @unchecked Sendable {
    static let name = "attrdb-fault"

    /// What the shim does to the operations it counts.
    enum Plan: Equatable {
        /// Counts only.
        case count
        /// The `n`-th operation fails with SQLITE_IOERR_*; afterwards every write, sync,
        /// truncate and delete fails too (reads still work).
        case ioError(at: Int)
        /// Operations up to the `n`-th happen; every one after it fails. ``disarm()`` then undoes
        /// what was not synced, all of it (`torn: false`) or all but a sector-aligned prefix of
        /// each file's last write (`torn: true`), and removes the shared-memory files.
        case powerLoss(after: Int, torn: Bool)
    }

    /// The one instance, registered with SQLite on first use.
    static let shared = FaultVFS()

    private let lock = NSLock()
    private var plan = Plan.count
    /// Operations counted since ``arm(_:)``.
    private var counted = 0
    /// The fault happened: the disk is dead or the power is cut.
    private var tripped = false
    /// The operation the fault hit.
    private var trippedOn: Operation?
    private var files: [Int: FileRecord] = [:]
    private var nextSlot = 1
    private let durability = UnsyncedWrites()

    private init() {
        FaultVFS.register()
    }

    /// Starts a trial.
    func arm(_ plan: Plan) {
        lock.withLock {
            self.plan = plan
            counted = 0
            tripped = false
            trippedOn = nil
        }
    }

    /// Ends a trial: applies the power loss when one happened and forgets the trial's files.
    /// Call it with every connection of the trial closed. Returns whether the fault was reached.
    @discardableResult
    func disarm() -> (reached: Bool, operations: Int, on: Operation?) {
        lock.withLock {
            if case .powerLoss(_, let torn) = plan, tripped { durability.cutPower(torn: torn) }
            durability.forget()
            files = [:]
            let result = (tripped, counted, trippedOn)
            plan = .count
            counted = 0
            tripped = false
            trippedOn = nil
            return result
        }
    }

    // MARK: - Deciding each operation

    enum Operation {
        case read, write, sync, truncate, delete

        /// The extended code a failure of this operation reports.
        var failure: Int32 {
            switch self {
            case .read: return SQLITE_IOERR | (1 << 8)      // SQLITE_IOERR_READ
            case .write: return SQLITE_IOERR | (3 << 8)     // SQLITE_IOERR_WRITE
            case .sync: return SQLITE_IOERR | (4 << 8)      // SQLITE_IOERR_FSYNC
            case .truncate: return SQLITE_IOERR | (6 << 8)  // SQLITE_IOERR_TRUNCATE
            case .delete: return SQLITE_IOERR | (10 << 8)   // SQLITE_IOERR_DELETE
            }
        }
    }

    /// Whether `operation` may go through to the real file.
    fileprivate func admit(_ operation: Operation) -> Bool {
        lock.withLock {
            switch plan {
            case .count:
                counted += 1
                return true
            case .ioError(let n):
                if tripped { return operation == .read }
                counted += 1
                if counted == n { tripped = true; trippedOn = operation; return false }
                return true
            case .powerLoss(let n, _):
                if tripped { return false }
                counted += 1
                if counted == n { tripped = true; trippedOn = operation }
                return true
            }
        }
    }

    private var tracksDurability: Bool {
        if case .powerLoss = plan { return true }
        return false
    }

    // MARK: - Files

    /// What the shim knows of one open file.
    fileprivate struct FileRecord {
        /// The file's inode as `UnsyncedWrites` knows it; nil for SQLite's nameless temporary files.
        var inode: UnsyncedWrites.Inode?
    }

    fileprivate func opened(path: String?, flags: Int32) -> Int {
        lock.withLock {
            let slot = nextSlot
            nextSlot += 1
            let isMainDatabase = flags & SQLITE_OPEN_MAIN_DB != 0
            files[slot] = FileRecord(inode: path.flatMap { durability.track(path: $0, isMainDatabase: isMainDatabase) })
            return slot
        }
    }

    fileprivate func willWrite(slot: Int, offset: Int64, count: Int) {
        lock.withLock {
            guard tracksDurability, let inode = files[slot]?.inode else { return }
            durability.willWrite(inode, offset: offset, count: count)
        }
    }

    fileprivate func willTruncate(slot: Int, size: Int64) {
        lock.withLock {
            guard tracksDurability, let inode = files[slot]?.inode else { return }
            durability.willTruncate(inode, size: size)
        }
    }

    fileprivate func synced(slot: Int) {
        lock.withLock {
            guard let inode = files[slot]?.inode else { return }
            durability.synced(inode)
        }
    }

    // MARK: - Registration with SQLite

    /// The default VFS the shim delegates to; SQLite never changes it once registered.
    fileprivate nonisolated(unsafe) static let real: UnsafeMutablePointer<sqlite3_vfs> = {
        guard let vfs = sqlite3_vfs_find(nil) else { fatalError("SQLite has no default VFS") }
        return vfs
    }()

    /// Bytes before the real VFS's file object inside ours: the io methods pointer and the slot.
    fileprivate static let headerSize = 16

    private static func register() {
        var vfs = real.pointee
        vfs.iVersion = min(real.pointee.iVersion, 3)
        vfs.szOsFile = real.pointee.szOsFile + Int32(headerSize)
        vfs.pNext = nil
        vfs.zName = UnsafePointer(strdup(name))
        vfs.xOpen = shimOpen
        vfs.xDelete = shimDelete
        let pointer = UnsafeMutablePointer<sqlite3_vfs>.allocate(capacity: 1)
        pointer.initialize(to: vfs)
        let code = sqlite3_vfs_register(pointer, 0)
        precondition(code == SQLITE_OK, "sqlite3_vfs_register: \(code)")
    }
}

// MARK: - The C entry points

private func realFile(_ file: UnsafeMutablePointer<sqlite3_file>) -> UnsafeMutablePointer<sqlite3_file> {
    (UnsafeMutableRawPointer(file) + FaultVFS.headerSize).assumingMemoryBound(to: sqlite3_file.self)
}

private func slot(_ file: UnsafeMutablePointer<sqlite3_file>) -> Int {
    UnsafeMutableRawPointer(file).load(fromByteOffset: 8, as: Int.self)
}

/// The real file's methods; SQLite only calls ours on a file whose real open succeeded.
private func methods(_ file: UnsafeMutablePointer<sqlite3_file>) -> sqlite3_io_methods {
    realFile(file).pointee.pMethods.pointee
}

private let shimOpen: @convention(c) (UnsafeMutablePointer<sqlite3_vfs>?, UnsafePointer<CChar>?, UnsafeMutablePointer<sqlite3_file>?, Int32, UnsafeMutablePointer<Int32>?) -> Int32 = { _, name, file, flags, outFlags in
    guard let file else { return SQLITE_MISUSE }
    file.pointee.pMethods = nil
    let real = realFile(file)
    let code = FaultVFS.real.pointee.xOpen?(FaultVFS.real, name, real, flags, outFlags) ?? SQLITE_CANTOPEN
    guard code == SQLITE_OK else {
        if let pMethods = real.pointee.pMethods { _ = pMethods.pointee.xClose?(real) }
        return code
    }
    let slot = FaultVFS.shared.opened(path: name.map { String(cString: $0) }, flags: flags)
    UnsafeMutableRawPointer(file).storeBytes(of: slot, toByteOffset: 8, as: Int.self)
    file.pointee.pMethods = UnsafePointer(shimMethods)
    return SQLITE_OK
}

private let shimDelete: @convention(c) (UnsafeMutablePointer<sqlite3_vfs>?, UnsafePointer<CChar>?, Int32) -> Int32 = { _, name, syncDirectory in
    guard FaultVFS.shared.admit(.delete) else { return FaultVFS.Operation.delete.failure }
    return FaultVFS.real.pointee.xDelete?(FaultVFS.real, name, syncDirectory) ?? SQLITE_IOERR
}

/// The shim's io methods: version 2, so SQLite never memory-maps a file (xFetch) past the shim.
/// Written once, only read afterwards.
private nonisolated(unsafe) let shimMethods: UnsafeMutablePointer<sqlite3_io_methods> = {
    let pointer = UnsafeMutablePointer<sqlite3_io_methods>.allocate(capacity: 1)
    pointer.initialize(to: sqlite3_io_methods(
        iVersion: 2,
        xClose: { file in
            guard let file else { return SQLITE_MISUSE }
            return methods(file).xClose?(realFile(file)) ?? SQLITE_IOERR
        },
        xRead: { file, buffer, count, offset in
            guard let file else { return SQLITE_MISUSE }
            guard FaultVFS.shared.admit(.read) else { return FaultVFS.Operation.read.failure }
            return methods(file).xRead?(realFile(file), buffer, count, offset) ?? SQLITE_IOERR
        },
        xWrite: { file, buffer, count, offset in
            guard let file else { return SQLITE_MISUSE }
            guard FaultVFS.shared.admit(.write) else { return FaultVFS.Operation.write.failure }
            FaultVFS.shared.willWrite(slot: slot(file), offset: offset, count: Int(count))
            return methods(file).xWrite?(realFile(file), buffer, count, offset) ?? SQLITE_IOERR
        },
        xTruncate: { file, size in
            guard let file else { return SQLITE_MISUSE }
            guard FaultVFS.shared.admit(.truncate) else { return FaultVFS.Operation.truncate.failure }
            FaultVFS.shared.willTruncate(slot: slot(file), size: size)
            return methods(file).xTruncate?(realFile(file), size) ?? SQLITE_IOERR
        },
        xSync: { file, flags in
            guard let file else { return SQLITE_MISUSE }
            guard FaultVFS.shared.admit(.sync) else { return FaultVFS.Operation.sync.failure }
            let code = methods(file).xSync?(realFile(file), flags) ?? SQLITE_IOERR
            if code == SQLITE_OK { FaultVFS.shared.synced(slot: slot(file)) }
            return code
        },
        xFileSize: { file, size in
            guard let file else { return SQLITE_MISUSE }
            return methods(file).xFileSize?(realFile(file), size) ?? SQLITE_IOERR
        },
        xLock: { file, level in
            guard let file else { return SQLITE_MISUSE }
            return methods(file).xLock?(realFile(file), level) ?? SQLITE_IOERR
        },
        xUnlock: { file, level in
            guard let file else { return SQLITE_MISUSE }
            return methods(file).xUnlock?(realFile(file), level) ?? SQLITE_IOERR
        },
        xCheckReservedLock: { file, result in
            guard let file else { return SQLITE_MISUSE }
            return methods(file).xCheckReservedLock?(realFile(file), result) ?? SQLITE_IOERR
        },
        xFileControl: { file, operation, argument in
            guard let file else { return SQLITE_MISUSE }
            return methods(file).xFileControl?(realFile(file), operation, argument) ?? SQLITE_IOERR
        },
        xSectorSize: { file in
            guard let file else { return 512 }
            return methods(file).xSectorSize?(realFile(file)) ?? 512
        },
        xDeviceCharacteristics: { file in
            guard let file else { return 0 }
            return methods(file).xDeviceCharacteristics?(realFile(file)) ?? 0
        },
        // Shared memory (WAL's index) lives in memory and in the -shm file the real VFS maps; it
        // is not counted, and a power loss removes the -shm file.
        xShmMap: { file, page, pageSize, extend, pointer in
            guard let file else { return SQLITE_MISUSE }
            guard let xShmMap = methods(file).xShmMap else { return SQLITE_IOERR }
            return xShmMap(realFile(file), page, pageSize, extend, pointer)
        },
        xShmLock: { file, offset, count, flags in
            guard let file else { return SQLITE_MISUSE }
            guard let xShmLock = methods(file).xShmLock else { return SQLITE_IOERR }
            return xShmLock(realFile(file), offset, count, flags)
        },
        xShmBarrier: { file in
            guard let file, let xShmBarrier = methods(file).xShmBarrier else { return }
            xShmBarrier(realFile(file))
        },
        xShmUnmap: { file, deleteFlag in
            guard let file else { return SQLITE_MISUSE }
            guard let xShmUnmap = methods(file).xShmUnmap else { return SQLITE_OK }
            return xShmUnmap(realFile(file), deleteFlag)
        },
        xFetch: nil,
        xUnfetch: nil
    ))
    return pointer
}()
