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
    @Option(name: .customLong("component"), parsing: .upToNextOption, help: ArgumentHelp("Component labels (repeatable).", valueName: "label"))
    var components: [String] = []
    @Flag(help: "Per profile: slope at 0, min, max, range, and where it saturates.") var summary = false
    @Flag(help: "On a terminal, draw each profile as a sparkline instead of the table.") var plot = false

    func validate() throws {
        if components.isEmpty { throw ValidationError("Give at least one --component LABEL.") }
    }

    func run() throws {
        let opened = try store.open(.read)
        if plot && OutputSink.standardOutput().isTerminal {
            for resolved in try query.resolve(in: opened, defaultCheckpoints: .last) {
                print(TerminalPlot.profiles(try Profiles(resolved, components: components)), terminator: "")
            }
            return
        }
        let tables = try query.resolve(in: opened, defaultCheckpoints: .last).map { resolved in
            let profiles = try Profiles(resolved, components: components)
            return (resolved.scan.run, summary ? ResultTable(try ProfileSummaries(profiles)) : ResultTable(profiles))
        }
        try output.print(.stacked(byRun: tables))
    }
}
