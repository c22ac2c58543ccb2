import ArgumentParser
import AttrDB

extension ComponentKind: ExpressibleByArgument {}

/// The selection every query command, `plot`, `report` and `export` share: runs, scan, metric,
/// checkpoints, coefficients, layers, kinds and components, turned into one typed ``QuerySelection``
/// by ``selection(checkpoints:coefficients:)`` and nowhere else.
///
/// Options that take numbers parse `.unconditional`ly: the next argument is the value whatever it
/// starts with, so `--coef -0.5` and `--layer -1` work as typed (half of every coefficient grid is
/// negative), where the default strategy would read `-0.5` as an option and report a missing value.
struct QueryOptions: ParsableArguments {
    @Option(name: .customLong("run"), help: ArgumentHelp("The run (repeat to compare runs).", valueName: "name"))
    var runs: [String] = []
    @Option(help: "The scan (default: the run's only scan, else 'default').") var scan: String?
    @Option(help: "The metric (default: the scan's only metric).") var metric: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Checkpoints: all, last, first, STEP, A:B or every:N (every Nth stored, keeping the last).", valueName: "selection"))
    var checkpoint: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Coefficients: a value (the nearest on the grid), A:B, or all; negative values as typed, e.g. --coef -5:5.", valueName: "selection"))
    var coef: String?
    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("Keep components of this layer (repeatable; -1 is the embeddings).", valueName: "layer"))
    var layer: [Int] = []
    @Option(help: ArgumentHelp("Keep components of this kind (repeatable).", valueName: "kind"))
    var kind: [ComponentKind] = []
    @Option(name: .customLong("component"), help: ArgumentHelp("Keep the component with this label (repeatable).", valueName: "label"))
    var components: [String] = []

    func validate() throws {
        if runs.isEmpty { throw ValidationError("Give a run with --run NAME.") }
        _ = try selection(checkpoints: .all)
    }

    /// The typed selection: `--checkpoint` and `--coef` parsed (a malformed, reversed or
    /// non-finite one is a usage error saying why), with the command's defaults where not given.
    func selection(checkpoints defaultCheckpoints: CheckpointSelection, coefficients defaultCoefficients: CoefficientSelection = .all) throws -> QuerySelection {
        do {
            return QuerySelection(runs: runs, scan: scan, metric: metric,
                                  checkpoints: try checkpoint.map(CheckpointSelection.init(parsing:)) ?? defaultCheckpoints,
                                  coefficients: try coef.map(CoefficientSelection.init(parsing:)) ?? defaultCoefficients,
                                  components: ComponentFilter(layers: layer, kinds: kind, labels: components))
        } catch let error as SelectionError {
            throw ValidationError(error.description)
        }
    }

    /// Each run's scan resolved with the selection.
    func resolve(in store: Store, checkpoints: CheckpointSelection, coefficients: CoefficientSelection = .all) throws -> [ResolvedSelection] {
        try selection(checkpoints: checkpoints, coefficients: coefficients).resolve(in: store)
    }

    /// Refuses the options that select among a scan's values, for `what`, which reads none (and
    /// `--checkpoint` too unless it `takesCheckpoints`): a flag that would be ignored is a usage
    /// error, not a silently different table.
    func refuseValueOptions(_ what: String, takesCheckpoints: Bool = true) throws {
        let given = [("--scan", scan != nil), ("--metric", metric != nil), ("--coef", coef != nil), ("--layer", !layer.isEmpty),
                     ("--kind", !kind.isEmpty), ("--component", !components.isEmpty)]
        if let (option, _) = given.first(where: \.1) {
            throw ValidationError("\(what) reads no attribution values: \(option) does not apply.")
        }
        if !takesCheckpoints && checkpoint != nil {
            throw ValidationError("\(what) has no row per checkpoint: --checkpoint does not apply.")
        }
    }
}
