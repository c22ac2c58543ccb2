import ArgumentParser
import AttrDB

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs in the store.",
        discussion: "attrdb runs --tag seed=0 --tag sweep=lr lists the runs that have every tag given.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .customLong("tag"), help: ArgumentHelp("Only runs with this tag (repeatable: runs with all of them).", valueName: "key=value"))
    var tags: [String] = []

    func validate() throws {
        for tag in tags where TagText.parse(tag) == nil { throw ValidationError(TagText.malformed(tag)) }
    }

    func run() throws {
        let wanted = tags.compactMap(TagText.parse)
        let runs = try store.open(.read).runs().filter { summary in
            wanted.allSatisfy { summary.run.tags[$0.key] == $0.value }
        }
        try output.print(ResultTable(RunTables.runs(runs)))
    }
}
