import ArgumentParser
import AttrDB

struct TurnoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turnover",
        abstract: "Components whose share crosses a cut-off between consecutive checkpoints: who enters, who is priced out.",
        discussion: "share = the component's sum of |value| over the selected coefficients, over the checkpoint's total. Columns: checkpoint_step,previous_step,component,layer,kind,event,share_before,share_after. --summary: from the first selected checkpoint to the last, how many above the cut-off were priced out and how many entered.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var query: QueryOptions
    @OptionGroup var output: OutputOptions
    @Option(parsing: .unconditional, help: "The share that counts as holding capacity, e.g. 0.05.") var cutoff: Double
    @Flag(help: "Print the first-to-last summary instead of the crossings.") var summary = false

    func validate() throws {
        try NumericOption.share(cutoff, "--cutoff")
    }

    func run() throws {
        let opened = try store.open(.read)
        let request = QueryRequest.turnover(cutoff: cutoff, summary: summary)
        try request.write(query.selection(checkpoints: request.defaultCheckpoints), in: opened, to: output.target())
    }
}
