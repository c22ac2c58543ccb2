import ArgumentParser
import AttrDB

extension Capacity.Grouping: ExpressibleByArgument {}

struct CapacityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract: "Attribution mass per checkpoint and layer, and its share of the checkpoint's total.",
        discussion: "mass = sum of |value| over the group's components and the selected coefficients (--signed: of values; --squared: of squares). Columns: checkpoint_step,layer,mass,share.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var query: QueryOptions
    @OptionGroup var output: OutputOptions
    @Flag(help: "Sum signed values instead of absolute values.") var signed = false
    @Flag(help: "Sum squared values instead of absolute values.") var squared = false
    @Option(help: "Group by layer (default), kind, component or head.") var by: Capacity.Grouping = .layer
    @Flag(help: "One row per checkpoint, one share column per group.") var wide = false
    @Flag(help: "On a terminal, draw the layer shares as a unicode heatmap instead of the table.") var plot = false

    func validate() throws {
        if signed && squared { throw ValidationError("Use --signed or --squared, not both.") }
    }

    func run() throws {
        let opened = try store.open(.read)
        let mode: MassMode = signed ? .signed : squared ? .squared : .absolute
        if plot && output.toTerminal {
            for resolved in try query.resolve(in: opened, checkpoints: .all) {
                print("\(resolved.scan.run) — share of mass by layer over \(resolved.checkpoints.count) checkpoints")
                print(TerminalPlot.capacity(try ComponentMasses(resolved, mode: mode)), terminator: "")
            }
            return
        }
        let request = QueryRequest.capacity(mode: mode, by: by, wide: wide)
        try request.write(query.selection(checkpoints: request.defaultCheckpoints), in: opened, to: output.target())
    }
}
