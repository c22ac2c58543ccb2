import ArgumentParser
import AttrDB

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store to DEST with SQLite's online backup API: consistent even while ingests run.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Where the copy goes (must not exist unless --force).", valueName: "dest")) var destination: String
    @Flag(help: "Replace DEST when it exists.") var force = false

    func run() throws {
        try store.open(.read).backup(to: destination, replace: force)
        Diagnostics.note("backed up \(store.path) to \(destination)")
    }
}
