import ArgumentParser
import AttrDB

extension Comparison.Alignment: ExpressibleByArgument {}

struct CompareCommand: ParsableCommand {
    enum What: String, ExpressibleByArgument, CaseIterable { case capacity, top }

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
        let resolved = what == .top ? try query.resolve(in: opened, checkpoints: .last, coefficients: .nearest(0))
                                    : try query.resolve(in: opened, checkpoints: .all)
        switch what {
        case .capacity:
            try output.print(Comparison.capacity(try ComponentMasses(resolved[0]), try ComponentMasses(resolved[1]), alignment: align))
        case .top:
            try output.print(Comparison.top(try TopComponents.table(resolved[0], k: k), try TopComponents.table(resolved[1], k: k), alignment: align))
        }
    }
}
