import ArgumentParser
import AttrDB

/// `attrdb columns` — and `attrdb help columns`, which prints this command's help, whose
/// discussion is the same catalog.
struct ColumnsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "columns",
        abstract: "What every command's columns mean: share, saturation, rank_change, top_k_share, mass, gini, …",
        discussion: "attrdb columns [COMMAND…]: the columns of those commands (all when none);\nwith --format or -o, as a table.\n\n"
            + ColumnCatalog.text(width: 78))  // ArgumentParser rewraps help at 80 columns when not on a terminal

    @Argument(help: ArgumentHelp("Commands to describe, e.g. capacity top (default: all).", valueName: "command")) var commands: [String] = []
    @OptionGroup var output: OutputOptions

    func validate() throws {
        for command in commands where !ColumnCatalog.commands.contains(command) {
            throw ValidationError("No columns for '\(command)'. Commands with columns: \(ColumnCatalog.commands.joined(separator: ", ")).")
        }
    }

    func run() throws {
        // Text for people unless a format or a file is asked for: the catalog is read, not piped, most of the time.
        guard output.format != nil || output.output != nil else { return print(ColumnCatalog.text(commands: commands), terminator: "") }
        try output.print(ResultTable(ColumnCatalog(commands: commands)))
    }
}
