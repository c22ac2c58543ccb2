import ArgumentParser
import AttrDB

struct ConcentrationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concentration",
        abstract: "Per checkpoint: is attribution held by a few components or spread over many?",
        discussion: "Over component shares of mass (sum of |value| over the selected coefficients). Columns: checkpoint_step,entropy (nats),effective_components (= exp(entropy)),gini,top_k_share.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var query: QueryOptions
    @OptionGroup var output: OutputOptions
    @Option(parsing: .unconditional, help: "K for the top_k_share column.") var top = 10

    func validate() throws {
        try NumericOption.positive(top, "--top")
    }

    func run() throws {
        let opened = try store.open(.read)
        let request = QueryRequest.concentration(top: top)
        try output.print(byRun: try request.tables(query.selection(checkpoints: request.defaultCheckpoints), in: opened))
    }
}
