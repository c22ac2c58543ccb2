/// Why a store could not be opened or used, or a request of it could not be met.
///
/// The cases group by what happened: the file is unusable (missing, not a database, read-only,
/// newer, full, locked), its contents are damaged (``corruptMatrix``, ``truncatedMatrix``,
/// ``corrupt(path:detail:)``), a name is not there (``unknownRun``, ``unknown``), or the request
/// itself is malformed (``badInput(_:)``).
public enum StoreError: UserFacingError, Equatable {
    case missing(path: String)
    case isDirectory(path: String)
    case missingFolder(path: String, folder: String)
    case notADatabase(path: String)
    case notAnAttrDBStore(path: String)
    case readOnly(path: String)
    case newerSchema(path: String, found: Int, supported: Int)
    case needsUpgrade(path: String, found: Int, supported: Int)
    case diskFull(path: String)
    case cannotOpen(path: String, reason: String)
    /// Another process kept the lock this command needs for longer than the busy timeout.
    case locked(path: String, holder: LockHolder?, waitedSeconds: Double)
    case unknownRun(name: String, suggestions: [String])
    case unknown(what: String, name: String, suggestions: [String])
    /// The request cannot be met as asked (a statement `attrdb sql` refuses, an option an export
    /// needs): nothing in the store is wrong.
    case badInput(String)
    /// A row of the store holds what attrdb never writes (an unknown component kind, a run status):
    /// the file was edited or damaged outside attrdb.
    case corrupt(path: String, detail: String)
    /// A matrix shorter or longer than its shape says (components × coefficients float32 values).
    case truncatedMatrix(step: Int, found: Int, expected: Int)
    /// A matrix's bytes do not hash to the checksum stored with them (checksums are signed 64-bit, as SQLite keeps them).
    case corruptMatrix(path: String, run: String, scan: String, metric: String, step: Int, stored: Int64, found: Int64)
    /// The file was removed after this process opened it (a failed first ingest that created it
    /// removes it again); nothing was written. ``Store/writing(path:busyTimeout:_:)`` opens the
    /// path afresh when it sees this.
    case removed(path: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "\(path): no attrdb store here (create one with 'attrdb init' or 'attrdb ingest')"
        case .isDirectory(let path):
            return "\(path): is a directory, not a store file (give a file path with --db)"
        case .missingFolder(let path, let folder):
            return "\(path): the folder \(folder) does not exist"
        case .notADatabase(let path):
            return "\(path): not a SQLite database (file is not a database or is corrupted)"
        case .notAnAttrDBStore(let path):
            return "\(path): a SQLite database, but not an attrdb store (it has tables and no attrdb schema version)"
        case .readOnly(let path):
            return "\(path): the store is read-only; this command needs to write to it"
        case .newerSchema(let path, let found, let supported):
            return "\(path): made by a newer attrdb (schema version \(found); this attrdb knows up to \(supported)); upgrade attrdb to open it"
        case .needsUpgrade(let path, let found, let supported):
            return "\(path): schema version \(found) is older than this attrdb's \(supported); run 'attrdb init' to upgrade it"
        case .diskFull(let path):
            return "\(path): the disk is full; nothing was written"
        case .corruptMatrix(let path, let run, let scan, let metric, let step, let stored, let found):
            let hex = { (value: Int64) in
                let digits = String(UInt64(bitPattern: value), radix: 16)
                return String(repeating: "0", count: 16 - digits.count) + digits
            }
            return "\(path): the stored matrix of run \(run), scan \(scan), metric \(metric), checkpoint step \(step) is damaged: its bytes hash to \(hex(found)), the checksum stored with them is \(hex(stored)); the export stopped there. Run 'attrdb check' to list every damaged matrix"
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the store (\(reason))"
        case .locked(let path, let holder, let waited):
            var who = "another process holds a lock on the store"
            if let holder {
                switch holder.role {
                case .writing: who = "another process (\(holder)) is writing to the store"
                case .reading: who = "another process (\(holder)) is reading the store, which still uses a rollback journal (made by an older attrdb)"
                }
            }
            return "\(path): \(who); gave up after waiting \(Self.seconds(waited)). Let it finish (or stop it) and run this again, or wait longer with --busy-timeout SECONDS"
        case .unknownRun(let name, let suggestions):
            return "no run named '\(Escape.terminal(name))'" + Suggestions.sentence(suggestions)
        case .unknown(let what, let name, let suggestions):
            return "no \(what) '\(Escape.terminal(name))'" + Suggestions.sentence(suggestions)
        case .badInput(let message):
            return message
        case .corrupt(let path, let detail):
            return "\(path): the store is damaged: \(detail); run 'attrdb check'"
        case .removed(let path):
            return "\(path): the store file was removed by another process while this one had it open (a failed ingest that had just created it); nothing was written. Run this again"
        case .truncatedMatrix(let step, let found, let expected):
            return "stored matrix of checkpoint \(step) has \(found) bytes, expected \(expected): run 'attrdb check'"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}
