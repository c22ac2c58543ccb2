import ArgumentParser
import AttrDB

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Components' values against the injection coefficient.",
        discussion: "Default: the last checkpoint. Columns: checkpoint_step,component,coefficient,value.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var query: QueryOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "Per profile: slope at 0, min, max, range, and where it saturates.") var summary = false
    @Flag(help: "On a terminal, draw each profile as a sparkline instead of the table.") var plot = false

    func validate() throws {
        if query.components.isEmpty { throw ValidationError("Give at least one --component LABEL.") }
    }

    func run() throws {
        let opened = try store.open(.read)
        if plot && output.toTerminal {
            for resolved in try query.resolve(in: opened, checkpoints: .last) {
                print(TerminalPlot.profiles(try Profiles(resolved, components: query.components)), terminator: "")
            }
            return
        }
        let request = QueryRequest.profile(summary: summary)
        try output.print(byRun: try request.tables(query.selection(checkpoints: request.defaultCheckpoints), in: opened))
    }
}
