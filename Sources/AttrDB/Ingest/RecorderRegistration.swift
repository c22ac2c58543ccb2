extension Recorder {
    /// Finds or adds the run, its components and its scan for an ingest, refusing input that
    /// disagrees with what is stored unless `replace`.
    struct Registration {
        let store: Store
        let target: IngestTarget
        let options: IngestOptions
        let source: String

        /// The run's id and precision, added when new (with `options.precision`, else f32); model,
        /// task and config updated as the input says. A run has one precision: asking for another
        /// than it has is a conflict, `replace` or not (it would mean rewriting every matrix).
        func run() throws -> (id: Int64, precision: Precision) {
            guard let (id, stored) = try store.storedRun(named: target.run) else {
                let precision = options.precision ?? .f32
                return (try store.insertRun(name: target.run, model: target.model, task: target.task, config: target.config ?? "{}",
                                            precision: precision), precision)
            }
            if let asked = options.precision, asked != stored.precision {
                throw IngestError(file: source, message: "run '\(target.run)' is stored in \(stored.precision.rawValue); the input asks for \(asked.rawValue), and a run has one precision: ingest with --precision \(stored.precision.rawValue), or into another run", kind: .conflict)
            }
            if let model = target.model, let storedModel = stored.model, model != storedModel, !options.replace {
                throw IngestError(file: source, message: "run '\(target.run)' exists with model '\(storedModel)', the input says '\(model)'; use another run name, or --replace", kind: .conflict)
            }
            let model = target.model.flatMap { $0 != stored.model ? $0 : nil }
            let task = target.task.flatMap { $0 != stored.task ? $0 : nil }
            let config = target.config.flatMap { $0 != stored.config && (options.replace || stored.config == "{}") ? $0 : nil }
            if model != nil || task != nil || config != nil {
                try store.updateRun(id: id, model: model, task: task, config: config)
            }
            return (id, stored.precision)
        }

        /// Adds the components to a run that has none; a run that has them must list the same labels.
        func components(_ components: [Component], runID: Int64) throws {
            let stored = try store.components(runID: runID, run: target.run)
            if stored.isEmpty { return try store.insertComponents(components, runID: runID) }
            guard stored.map(\.label) != components.map(\.label) else { return }
            let firstDifference = zip(stored, components).enumerated().first { $0.element.0.label != $0.element.1.label }
            let detail = firstDifference.map { "at position \($0.offset) the run has '\($0.element.0.label)', the input '\($0.element.1.label)'" }
                ?? "the run has \(stored.count) components, the input \(components.count)"
            throw IngestError(file: source, message: "the components differ from the run's: \(detail)", kind: .conflict)
        }

        /// The scan's id, added when new; a stored scan with another grid is replaced whole, or refused.
        func scan(coefficients: [Double], runID: Int64) throws -> Int64 {
            if let id = try store.scanID(runID: runID, named: target.scan) {
                let stored = try store.coefficients(scanID: id)
                if stored == coefficients { return id }
                guard options.replace else {
                    throw IngestError(file: source, message: "scan '\(target.scan)' of run '\(target.run)' has \(stored.count) coefficients \(stored.first ?? 0)…\(stored.last ?? 0); the input has \(coefficients.count) coefficients \(coefficients.first ?? 0)…\(coefficients.last ?? 0); use another --scan name, or --replace to replace the whole scan", kind: .conflict)
                }
                try store.deleteScan(id: id)
            }
            return try store.insertScan(runID: runID, name: target.scan, hook: target.scanHook, coefficients: coefficients)
        }
    }
}
