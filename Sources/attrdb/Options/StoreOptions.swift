import ArgumentParser
import AttrDB
import Foundation

/// `--db PATH`: the store every command works on.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store file (default: $ATTRDB_DB, else ./attrdb.sqlite).", valueName: "path"))
    var db: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["ATTRDB_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "./attrdb.sqlite"
    }

    func open(_ access: Store.Access) throws -> Store {
        try Store(path: path, access: access)
    }
}
