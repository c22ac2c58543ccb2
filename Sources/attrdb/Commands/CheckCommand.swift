import ArgumentParser
import AttrDB

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the store: SQLite's integrity check and attrdb's own invariants.",
        discussion: "Prints one row per check (check,status,detail) and exits 1 when any problem is found. A warning (duplicate_weights: checkpoints of one run whose weights hash the same) is printed but does not fail the check.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let result = try StoreCheck.run(try store.open(.read))
        try output.print(result.table)
        if result.problems > 0 { throw CheckFailed(problems: result.problems) }
    }
}
