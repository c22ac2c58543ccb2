import ArgumentParser
import AttrDB

extension QueryRequest.ComparisonSubject: ExpressibleByArgument {}

extension Comparison.Alignment: ExpressibleByArgument {}

struct CompareCommand: ParsableCommand {
    typealias What = QueryRequest.ComparisonSubject

    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Two runs side by side: layer shares (default) or top components, with differences.",
        discussion: "attrdb compare --run A --run B [--what top] [--align nearest]. Capacity columns: checkpoint_step_a,checkpoint_step_b,layer,share_a,share_b,difference (b − a).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var query: QueryOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "What to compare: capacity or top.") var what: What = .capacity
    @Option(help: "Checkpoints to pair: exact (steps both runs have) or nearest.") var align: Comparison.Alignment = .exact
    @Option(name: .shortAndLong, parsing: .unconditional, help: "How many components with --what top.") var k = 10

    func validate() throws {
        if query.runs.count != 2 { throw ValidationError("compare takes exactly two runs: --run A --run B.") }
        try NumericOption.positive(k, "-k")
    }

    func run() throws {
        let opened = try store.open(.read)
        let request = QueryRequest.compare(what: what, alignment: align, k: k)
        let selection = try query.selection(checkpoints: request.defaultCheckpoints, coefficients: request.defaultCoefficients)
        // One table of both runs: printed as is, not under a run column.
        try request.write(selection, in: opened, to: output.target())
    }
}
