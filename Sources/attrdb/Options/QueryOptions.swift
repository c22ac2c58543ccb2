import ArgumentParser
import AttrDB

extension ComponentKind: ExpressibleByArgument {}

/// The selection every query command shares: runs, scan, metric, checkpoints, coefficients, layers and kinds.
///
/// Options that take numbers parse `.unconditional`ly: the next argument is the value whatever it
/// starts with, so `--coef -0.5` and `--layer -1` work as typed (half of every coefficient grid is
/// negative), where the default strategy would read `-0.5` as an option and report a missing value.
struct QueryOptions: ParsableArguments {
    @Option(name: .customLong("run"), help: ArgumentHelp("The run (repeat to compare runs).", valueName: "name"))
    var runs: [String] = []
    @Option(help: "The scan (default: the run's only scan, else 'default').") var scan: String?
    @Option(help: "The metric (default: the scan's only metric).") var metric: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Checkpoints: all, last, first, STEP, A:B or every:N.", valueName: "selection"))
    var checkpoint: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Coefficients: a value (the nearest on the grid), A:B, or all (default); negative values as typed, e.g. --coef -5:5.", valueName: "selection"))
    var coef: String?
    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("Keep components of this layer (repeatable; -1 is the embeddings).", valueName: "layer"))
    var layer: [Int] = []
    @Option(help: ArgumentHelp("Keep components of this kind: \(ComponentKind.allCases.map(\.rawValue).joined(separator: ", ")) (repeatable).", valueName: "kind"))
    var kind: [ComponentKind] = []

    func validate() throws {
        if runs.isEmpty { throw ValidationError("Give a run with --run NAME.") }
        _ = try Self.checkpoints(checkpoint)
        _ = try Self.coefficients(coef)
    }

    /// `--checkpoint`'s text parsed; a malformed or reversed selection is a usage error saying why.
    static func checkpoints(_ text: String?) throws -> CheckpointSelection? {
        try text.map { text in try usage { try CheckpointSelection(parsing: text) } }
    }

    /// `--coef`'s text parsed; a malformed, reversed or non-finite selection is a usage error saying why.
    static func coefficients(_ text: String?) throws -> CoefficientSelection? {
        try text.map { text in try usage { try CoefficientSelection(parsing: text) } }
    }

    private static func usage<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SelectionError { throw ValidationError(error.description) }
    }

    /// The selection, with the command's default for checkpoints.
    func selection(defaultCheckpoints: CheckpointSelection) throws -> QuerySelection {
        QuerySelection(checkpoints: try Self.checkpoints(checkpoint) ?? defaultCheckpoints,
                       coefficients: try Self.coefficients(coef) ?? .all,
                       components: ComponentFilter(layers: layer, kinds: kind))
    }

    /// Each run's scan resolved with the selection.
    func resolve(in store: Store, defaultCheckpoints: CheckpointSelection) throws -> [ResolvedSelection] {
        let selection = try selection(defaultCheckpoints: defaultCheckpoints)
        return try runs.map { try ResolvedSelection(scan: ScanSelection(store: store, run: $0, scan: scan, metric: metric), selection: selection) }
    }
}
