import ArgumentParser
import AttrDB
import Foundation

/// `--db PATH` and `--busy-timeout SECONDS`: the store every command works on, and how long to
/// wait for another process that is writing to it.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file (default: $ATTRDB_DB, else ./attrdb.sqlite).", valueName: "path"))
    var db: String?

    @Option(name: .customLong("busy-timeout"),
            help: ArgumentHelp("Seconds to wait for another process writing to the store (default: $ATTRDB_BUSY_TIMEOUT, else 60).", valueName: "seconds"))
    var busyTimeout: Double?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["ATTRDB_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "./attrdb.sqlite"
    }

    /// `--busy-timeout`, else $ATTRDB_BUSY_TIMEOUT, else the library's default.
    var busyTimeoutSeconds: Double {
        busyTimeout ?? ProcessInfo.processInfo.environment["ATTRDB_BUSY_TIMEOUT"].flatMap(Double.init) ?? Store.defaultBusyTimeout
    }

    func validate() throws {
        let valid: (Double) -> Bool = { $0.isFinite && $0 >= 0 && $0 <= 86_400 }
        if let busyTimeout, !valid(busyTimeout) {
            throw ValidationError("--busy-timeout takes seconds from 0 to 86400, not \(busyTimeout).")
        }
        if let text = ProcessInfo.processInfo.environment["ATTRDB_BUSY_TIMEOUT"], !text.isEmpty, busyTimeout == nil {
            guard let value = Double(text), valid(value) else {
                throw ValidationError("ATTRDB_BUSY_TIMEOUT takes seconds from 0 to 86400, not '\(text)'.")
            }
        }
    }

    func open(_ access: Store.Access) throws -> Store {
        try Store(path: path, access: access, busyTimeout: busyTimeoutSeconds)
    }
}
