import ArgumentParser
import AttrDB

struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL statement on the store, with attrdb's f32_* functions for packed values.",
        discussion: "Statements that write (INSERT, UPDATE, DELETE, DROP, CREATE, ATTACH, PRAGMAs that set a value) are refused. schema/README.md documents the tables and functions.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The statement.", valueName: "sql")) var sql: String

    func run() throws {
        try RawSQL.run(sql, path: store.path) { output.writer(columns: $0) }
    }
}
