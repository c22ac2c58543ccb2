import ArgumentParser
import AttrDB

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Describe one run: metadata, tags, checkpoints, components, scans, metrics and statistics.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The run's name.", valueName: "run")) var name: String

    func run() throws {
        try output.print(ResultTable(RunTables.details(try store.open(.read).details(ofRun: name))))
    }
}
