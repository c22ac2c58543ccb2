/// Runs as tables, the way `attrdb runs` and `attrdb show` print them.
public enum RunTables {
    public static let runColumns = ["name", "model", "task", "checkpoints", "components", "values", "created", "status", "tags"]

    public static func runs(_ runs: [RunSummary]) -> ResultTable {
        ResultTable(columns: runColumns, rows: runs.map { summary in
            [.text(summary.run.name), text(summary.run.model), text(summary.run.task), .int(summary.checkpoints),
             .int(summary.components), .int(summary.values), .text(summary.run.createdAt), .text(summary.run.status.rawValue),
             .text(tagText(summary.run.tags))]
        })
    }

    /// One `field,value` row per fact about the run; the config one row per setting (`config.training.lr`).
    public static func details(_ details: RunDetails) -> ResultTable {
        let run = details.summary.run
        var rows: [[Cell]] = [
            ["name", .text(run.name)], ["model", text(run.model)], ["task", text(run.task)],
            ["status", .text(run.status.rawValue)], ["created", .text(run.createdAt)],
            ["tags", .text(tagText(run.tags))],
        ]
        if run.config != "{}" { rows += FlatConfig.fields(run.config, prefix: "config").map { [.text($0.key), .text($0.value)] } }
        rows += [
            ["checkpoints", .int(details.summary.checkpoints)],
            ["first_step", details.firstStep.map(Cell.int) ?? .null], ["last_step", details.lastStep.map(Cell.int) ?? .null],
            ["components", .int(details.summary.components)],
            ["components_by_kind", .text(details.componentsByKind.map { "\($0.kind)=\($0.count)" }.joined(separator: ","))],
            ["layers", .int(details.layers)],
            ["values", .int(details.summary.values)],
        ]
        for info in details.scans {
            let grid = info.scan.coefficients
            let range = grid.count == 1 ? "\(grid[0])" : "\(grid.first ?? 0)..\(grid.last ?? 0)"
            rows.append(["scan", .text("\(info.scan.name): \(grid.count) coefficients \(range), hook \(info.scan.hook ?? "none"), metrics \(info.metrics.joined(separator: ",")), \(info.checkpoints) checkpoints")])
        }
        rows.append(["checkpoint_stats", .text(details.checkpointStats.joined(separator: ","))])
        rows.append(["resid_norms", .int(details.residNorms)])
        rows.append(["wov_norms", .int(details.wovNorms)])
        return ResultTable(columns: ["field", "value"], rows: rows)
    }

    static func text(_ value: String?) -> Cell { value.map(Cell.text) ?? .null }

    static func tagText(_ tags: [String: String]) -> String {
        tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}

extension Cell: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
}
