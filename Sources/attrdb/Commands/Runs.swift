import ArgumentParser
import AttrDB

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the runs in the store.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try output.print(ResultTable(RunTables.runs(try store.open(.read).runs())))
    }
}
