import ArgumentParser
import AttrDB

struct NormsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "norms",
        abstract: "Residual-stream norm growth per layer at each checkpoint; --wov for W_OV norms per head.",
        discussion: "growth_pct_per_layer = 100·(exp(slope) − 1), slope of ln(norm) against layer by least squares over the resid_pre hooks. --wide adds the norms. --wov lists checkpoint_step,layer,head,frobenius_norm with the same growth fitted over the heads' norms. --checkpoint applies to the checkpoints that have norms.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var query: QueryOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "Add each hook's norm as a column.") var wide = false
    @Flag(help: "W_OV Frobenius norms per head instead of residual norms.") var wov = false

    func validate() throws {
        try query.refuseValueOptions("norms")
    }

    func run() throws {
        let opened = try store.open(.read)
        let request = QueryRequest.norms(wide: wide, wov: wov)
        try output.print(byRun: try request.tables(query.selection(checkpoints: request.defaultCheckpoints), in: opened))
    }
}
