import ArgumentParser
import AttrDB

struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "The K components with the largest |value| at a checkpoint and coefficient.",
        discussion: "Defaults: the last checkpoint, the coefficient nearest 0. --coef A:B ranks by the mean over the range. Columns: checkpoint_step,coefficient,rank,component,layer,kind,value,share,rank_change.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var query: QueryOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .shortAndLong, parsing: .unconditional, help: "How many components.") var k = 10

    func validate() throws {
        try NumericOption.positive(k, "-k")
    }

    func run() throws {
        let opened = try store.open(.read)
        let request = QueryRequest.top(k: k)
        try output.print(byRun: try request.tables(query.selection(checkpoints: request.defaultCheckpoints, coefficients: request.defaultCoefficients), in: opened))
    }
}
