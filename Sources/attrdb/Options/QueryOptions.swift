import ArgumentParser
import AttrDB

extension ComponentKind: ExpressibleByArgument {}

/// The selection every query command shares: runs, scan, metric, checkpoints, coefficients, layers and kinds.
struct QueryOptions: ParsableArguments {
    @Option(name: .customLong("run"), help: ArgumentHelp("The run (repeat to compare runs).", valueName: "name"))
    var runs: [String] = []
    @Option(help: "The scan (default: the run's only scan, else 'default').") var scan: String?
    @Option(help: "The metric (default: the scan's only metric).") var metric: String?
    @Option(help: ArgumentHelp("Checkpoints: all, last, first, STEP, A:B or every:N.", valueName: "selection"))
    var checkpoint: String?
    @Option(help: ArgumentHelp("Coefficients: a value (the nearest on the grid), A:B, or all (default).", valueName: "selection"))
    var coef: String?
    @Option(help: ArgumentHelp("Keep components of this layer (repeatable).", valueName: "layer")) var layer: [Int] = []
    @Option(help: ArgumentHelp("Keep components of this kind: \(ComponentKind.allCases.map(\.rawValue).joined(separator: ", ")) (repeatable).", valueName: "kind"))
    var kind: [ComponentKind] = []

    func validate() throws {
        if runs.isEmpty { throw ValidationError("Give a run with --run NAME.") }
        if let checkpoint { _ = try parse { try CheckpointSelection(parsing: checkpoint) } }
        if let coef { _ = try parse { try CoefficientSelection(parsing: coef) } }
    }

    private func parse<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as StoreError { throw ValidationError(error.description) }
    }

    /// The selection, with the command's default for checkpoints.
    func selection(defaultCheckpoints: CheckpointSelection) throws -> QuerySelection {
        QuerySelection(checkpoints: try checkpoint.map(CheckpointSelection.init(parsing:)) ?? defaultCheckpoints,
                       coefficients: try coef.map(CoefficientSelection.init(parsing:)) ?? .all,
                       components: ComponentFilter(layers: layer, kinds: kind))
    }

    /// Each run's scan resolved with the selection.
    func resolve(in store: Store, defaultCheckpoints: CheckpointSelection) throws -> [ResolvedSelection] {
        let selection = try selection(defaultCheckpoints: defaultCheckpoints)
        return try runs.map { try ResolvedSelection(scan: ScanSelection(store: store, run: $0, scan: scan, metric: metric), selection: selection) }
    }
}
