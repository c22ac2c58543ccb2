import ArgumentParser
import AttrDB

struct NormsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "norms",
        abstract: "Residual-stream norm growth per layer at each checkpoint; --wov for W_OV norms per head.",
        discussion: "growth_pct_per_layer = 100·(exp(slope) − 1), slope of ln(norm) against layer by least squares over the resid_pre hooks. --wide adds the norms. --wov lists checkpoint_step,layer,head,frobenius_norm with the same growth fitted over the heads' norms.")

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("run"), parsing: .singleValue, help: ArgumentHelp("The run (repeatable).", valueName: "name"))
    var runs: [String] = []
    @Option(parsing: .unconditional, help: ArgumentHelp("Checkpoints: all, last, first, STEP, A:B or every:N.", valueName: "selection")) var checkpoint: String?
    @OptionGroup var output: OutputOptions
    @Flag(help: "Add each hook's norm as a column.") var wide = false
    @Flag(help: "W_OV Frobenius norms per head instead of residual norms.") var wov = false

    func validate() throws {
        if runs.isEmpty { throw ValidationError("Give a run with --run NAME.") }
        _ = try QueryOptions.checkpoints(checkpoint)
    }

    func run() throws {
        let opened = try store.open(.read)
        let selection = try QueryOptions.checkpoints(checkpoint) ?? .all
        let tables = try runs.map { run in
            (run, wov ? ResultTable(try NormGrowth.wov(store: opened, run: run, checkpoints: selection))
                      : ResultTable(try NormGrowth.residual(store: opened, run: run, checkpoints: selection, wide: wide)))
        }
        try output.print(.stacked(byRun: tables))
    }
}
