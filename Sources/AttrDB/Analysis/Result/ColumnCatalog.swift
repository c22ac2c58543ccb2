/// Every command's columns with what they mean: what `attrdb columns` (and `attrdb help columns`)
/// prints, and a result itself (`attrdb columns --format csv`).
///
/// ```swift
/// ColumnCatalog.text(commands: ["capacity"])   // capacity's columns, one per line, with meanings
/// ```
public struct ColumnCatalog: TabularResult {
    /// One command (or one form of it, like `capacity --wide`) and its columns.
    public struct Entry: Sendable {
        public var command: String
        /// What one row is.
        public var rows: String
        public var columns: [ResultColumn]

        init(_ command: String, _ rows: String, _ columns: [ResultColumn]) {
            self.command = command
            self.rows = rows
            self.columns = columns
        }
    }

    /// The column every query command adds first when given several runs.
    static let run = ResultColumn("run", .text, meaning: "the run's name: added as the first column when a command is given several --run (or an export is partitioned by run)")

    public static let entries: [Entry] = [
        Entry("capacity", "one row per checkpoint and group (--by layer, the default; kind, component or head)", CapacityRow.documentedColumns),
        Entry("capacity --wide", "one row per checkpoint, one share column per group", CapacityWideRow.documentedColumns),
        Entry("top", "one row per checkpoint and rank, the K components with the largest |value|", TopComponentRow.documentedColumns),
        Entry("profile", "one row per checkpoint, component and coefficient", ProfileRow.documentedColumns),
        Entry("profile --summary", "one row per checkpoint and component: the profile's shape", ProfileSummaryRow.documentedColumns),
        Entry("clusters", "one row per clustered component", ClusterMemberRow.documentedColumns),
        Entry("clusters --centroids", "one row per cluster and coefficient", ClusterCentroidRow.documentedColumns),
        Entry("turnover", "one row per component whose share crosses --cutoff between consecutive selected checkpoints", TurnoverEventRow.documentedColumns),
        Entry("turnover --summary", "one row: the first selected checkpoint against the last", TurnoverSummaryRow.documentedColumns),
        Entry("concentration", "one row per checkpoint, over the components' shares of its mass", ConcentrationRow.documentedColumns),
        Entry("norms", "one row per checkpoint", ResidualNormRow.documentedColumns),
        Entry("norms --wov", "one row per checkpoint and attention head", WOVNormRow.documentedColumns),
        Entry("compare", "one row per pair of checkpoints and layer", CapacityComparisonRow.documentedColumns),
        Entry("compare --what top", "one row per pair of checkpoints and rank", TopComparisonRow.documentedColumns),
        Entry("runs", "one row per run", RunSummary.documentedColumns),
        Entry("show", "one row per fact about the run", RunFact.documentedColumns),
        Entry("export checkpoints", "one row per stored checkpoint", CheckpointListRow.documentedColumns),
        Entry("export components", "one row per component, in matrix-row order", ComponentListRow.documentedColumns),
        Entry("export losses", "one row per checkpoint", CheckpointStatisticsRow.documentedColumns),
        Entry("(several --run)", "any command given several runs: the same rows, run after run", [run]),
    ]

    public var rows: [ColumnCatalogRow]

    /// The columns of the entries whose command starts with one of `commands` (all when empty).
    public init(commands: [String] = []) {
        rows = ColumnCatalog.selected(commands).flatMap { entry in entry.columns.map { ColumnCatalogRow(command: entry.command, column: $0) } }
    }

    /// The commands that have an entry, for `attrdb columns COMMAND`.
    public static var commands: [String] {
        var seen: [String] = []
        for entry in entries where !entry.command.hasPrefix("(") {
            let command = String(entry.command.split(separator: " ")[0])
            if !seen.contains(command) { seen.append(command) }
        }
        return seen
    }

    static func selected(_ commands: [String]) -> [Entry] {
        guard !commands.isEmpty else { return entries }
        return entries.filter { entry in commands.contains { entry.command == $0 || entry.command.hasPrefix($0 + " ") } }
    }

    /// The catalog for people: per command, each column with its type and its meaning wrapped to `width`.
    public static func text(commands: [String] = [], width: Int = 100) -> String {
        selected(commands).map { entry in
            let nameWidth = entry.columns.map(\.name.count).max() ?? 0
            let indent = 2 + nameWidth + 2 + 9
            var text = wrap("\(entry.command): \(entry.rows)", width: width).joined(separator: "\n    ") + "\n"
            for column in entry.columns {
                let meaning = column.meaning + (column.unit.map { ". Unit: \($0)." } ?? "")
                let lines = wrap(meaning, width: max(30, width - indent))
                text += "  " + padded(column.name, nameWidth) + "  " + padded(column.type.rawValue, 9) + (lines.first ?? "") + "\n"
                for line in lines.dropFirst() { text += String(repeating: " ", count: indent) + line + "\n" }
            }
            return text
        }.joined(separator: "\n")
    }

    /// `text` and spaces up to `width` characters. Not Foundation's `padding(toLength:)`: through
    /// NSString it took a third of this catalog's time, which every command pays at start-up
    /// (`attrdb columns`' help is built whenever the command line is parsed).
    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

/// One command's column in the ``ColumnCatalog``.
public struct ColumnCatalogRow: ResultRow, Equatable {
    public var command: String
    public var column: ResultColumn

    public static let documentedColumns: [ResultColumn] = [
        ResultColumn("command", .text, meaning: "the command (and flag) whose output has the column"),
        ResultColumn("column", .text, meaning: "the column's name; <group>, <hook>_<layer> and <statistic> stand for one column each"),
        ResultColumn("type", .text, meaning: "integer, float32 (a stored value, printed with the digits that read back as the same float32), double, text, or mixed (text or integer by row)"),
        ResultColumn("unit", .text, nullable: true, meaning: "the unit or scale; empty for steps, counts and labels"),
        ResultColumn("nullable", .integer, meaning: "1 when rows may leave the column empty (null), else 0"),
        ResultColumn("meaning", .text, meaning: "what the value is: its formula, its denominator, its sign"),
    ]

    public var cells: [Cell] {
        [.text(command), .text(column.name), .text(column.type.rawValue), column.unit.map(Cell.text) ?? .null, .int(column.nullable ? 1 : 0), .text(column.meaning)]
    }
}
