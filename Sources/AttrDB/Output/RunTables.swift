/// Runs as results, the way `attrdb runs` and `attrdb show` print them.
public enum RunTables {
    public static func runs(_ runs: [RunSummary]) -> RunList {
        RunList(rows: runs)
    }

    /// One `field,value` row per fact about the run; the config one row per setting (`config.training.lr`).
    public static func details(_ details: RunDetails) -> RunFacts {
        let run = details.summary.run
        var rows: [RunFact] = [
            ["name", .text(run.name)], ["model", text(run.model)], ["task", text(run.task)],
            ["status", .text(run.status.rawValue)], ["created", .text(run.createdAt)],
            ["tags", .text(tagText(run.tags))],
        ]
        if run.config != "{}" { rows += FlatConfig.fields(run.config, prefix: "config").map { RunFact(field: $0.key, value: .text($0.value)) } }
        rows += [
            ["checkpoints", .int(details.summary.checkpoints)],
            ["first_step", details.firstStep.map(Cell.int) ?? .null], ["last_step", details.lastStep.map(Cell.int) ?? .null],
            ["components", .int(details.summary.components)],
            ["components_by_kind", .text(details.componentsByKind.map { "\($0.kind)=\($0.count)" }.joined(separator: ","))],
            ["layers", .int(details.layers)],
            ["values", .int(details.summary.values)],
            ["precision", .text(run.precision.rawValue)],
        ]
        if run.precision != .f32 {
            // Measured at ingest against the float32 input (schema/README.md, "Precision").
            rows.append(["max_relative_error", .float(details.rounding.maxRelative)])
            rows.append(["max_rounded_to_zero", .float(details.rounding.maxRoundedToZero)])
        }
        for info in details.scans {
            let grid = info.scan.coefficients
            let range = grid.count == 1 ? "\(grid[0])" : "\(grid.first ?? 0)..\(grid.last ?? 0)"
            rows.append(["scan", .text("\(info.scan.name): \(grid.count) coefficients \(range), hook \(info.scan.hook ?? "none"), metrics \(info.metrics.joined(separator: ",")), \(info.checkpoints) checkpoints")])
        }
        rows.append(["checkpoint_stats", .text(details.checkpointStats.joined(separator: ","))])
        rows.append(["resid_norms", .int(details.residNorms)])
        rows.append(["wov_norms", .int(details.wovNorms)])
        // Only runs that logged weights hashes have these rows: every other run shows as it did.
        if details.weightsHashes > 0 {
            rows.append(["weights_hashes", .int(details.weightsHashes)])
            for group in details.duplicateWeights { rows.append(["duplicate_weights", .text(group.description)]) }
        }
        return RunFacts(rows: rows)
    }

    static func text(_ value: String?) -> Cell { value.map(Cell.text) ?? .null }

    static func tagText(_ tags: [String: String]) -> String {
        tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}

/// `attrdb runs`: one row per run.
public struct RunList: TabularResult {
    public var rows: [RunSummary]

    public init(rows: [RunSummary]) {
        self.rows = rows
    }
}

extension RunSummary: ResultRow {
    public static let documentedColumns: [ResultColumn] = [
        ResultColumn("name", .text, meaning: "the run's name, as given to ingest"),
        ResultColumn("model", .text, nullable: true, meaning: "the model, as recorded at ingest (empty when not given)"),
        ResultColumn("task", .text, nullable: true, meaning: "the task, as recorded at ingest (empty when not given)"),
        ResultColumn("checkpoints", .integer, meaning: "how many training checkpoints the run stores"),
        ResultColumn("components", .integer, meaning: "how many model components each matrix has a row for"),
        ResultColumn("values", .integer, meaning: "how many attribution values the run stores, over every checkpoint, scan and metric"),
        ResultColumn("created", .text, meaning: "when the run was first ingested, ISO 8601 in UTC"),
        ResultColumn("status", .text, meaning: "complete, or incomplete while an ingest is still adding to it"),
        ResultColumn("tags", .text, meaning: "the run's tags as key=value, separated by commas, sorted by key"),
    ]

    public var cells: [Cell] {
        [.text(run.name), RunTables.text(run.model), RunTables.text(run.task), .int(checkpoints), .int(components), .int(values),
         .text(run.createdAt), .text(run.status.rawValue), .text(RunTables.tagText(run.tags))]
    }
}

/// `attrdb show`: one fact about a run per row.
public struct RunFacts: TabularResult {
    public var rows: [RunFact]

    public init(rows: [RunFact]) {
        self.rows = rows
    }
}

/// A named fact about a run; its value is text or a count, by field.
public struct RunFact: ResultRow, Equatable, ExpressibleByArrayLiteral {
    public var field: String
    public var value: Cell

    public init(field: String, value: Cell) {
        self.field = field
        self.value = value
    }

    /// `["name", .text(name)]`: the field and its value.
    public init(arrayLiteral elements: Cell...) {
        precondition(elements.count == 2, "a fact is a field and a value")
        self.init(field: elements[0].exactText, value: elements[1])
    }

    public static let documentedColumns: [ResultColumn] = [
        ResultColumn("field", .text, meaning: "what the row tells: name, model, task, status, created, tags, config.KEY (one row per configuration setting, nested keys joined with dots: config.training.lr), checkpoints, first_step, last_step, components, components_by_kind, layers, values, scan (one row per scan), checkpoint_stats, resid_norms, wov_norms; and when the run has weights hashes, weights_hashes (how many checkpoints have one) and duplicate_weights (one row per group of steps whose weights hash the same)"),
        ResultColumn("value", .mixed, nullable: true, meaning: "the field's value: text, or an integer for counts and steps; empty when unknown (a run with no checkpoints has no first_step)"),
    ]

    public var cells: [Cell] { [.text(field), value] }
}

extension Cell: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
}
