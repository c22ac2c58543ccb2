import AttrDB

/// The process exit statuses, documented in README.md's "Exit status" table, and which library
/// error gives which: the library says what went wrong, the command line alone decides the number.
enum ExitStatus {
    /// Bad input (a malformed file, a value that does not parse) or another failure.
    static let failure: Int32 = 1
    /// The store cannot be used: unopenable, damaged, locked, full.
    static let store: Int32 = 2
    /// An unknown run, scan, metric, component or checkpoint.
    static let notFound: Int32 = 3
    /// The input disagrees with what the store holds.
    static let conflict: Int32 = 4
    /// A bad option or argument, or a selection that selects nothing: sysexits.h's EX_USAGE, as
    /// swift-argument-parser gives.
    static let usage: Int32 = 64

    /// The status for a library error, nil for an error the library does not throw (the argument
    /// parser's own, which it maps itself).
    static func of(_ error: Error) -> Int32? {
        switch error {
        case let error as StoreError: return of(error)
        case let error as IngestError: return error.kind == .conflict ? conflict : failure
        case is SelectionError: return usage
        // SQLite's own errors reach here untranslated only from a statement the user wrote
        // (`attrdb sql`) or a failure the store layer has no name for.
        case is SQLiteError: return failure
        case is QueryTimedOut, is NumericInputError, is OutputFileError, is ParquetError, is CheckFailed: return failure
        case is UserFacingError: return failure
        default: return nil
        }
    }

    static func of(_ error: StoreError) -> Int32 {
        switch error {
        case .unknownRun, .unknown: return notFound
        case .badInput: return failure
        case .missing, .isDirectory, .missingFolder, .notADatabase, .notAnAttrDBStore, .readOnly, .newerSchema, .needsUpgrade,
             .diskFull, .cannotOpen, .locked, .corrupt, .truncatedMatrix, .corruptMatrix, .removed:
            return store
        }
    }
}
