import ArgumentParser
import AttrDB
import Foundation

extension OutputFormat: ExpressibleByArgument {}

/// `--format`, `-o`, `--partition-by`, `--force`, `--no-headers`, `--digits` and `--caption`: how
/// every command that prints a table writes it, through the one ``TableOutput`` pipeline.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Output format (default: from -o's extension, else table on a terminal, else csv); npy and parquet need -o on a terminal.", valueName: "format"))
    var format: OutputFormat?

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file (a folder with --partition-by), beside it first and moved into place when complete; default standard output.", valueName: "path"))
    var output: String?

    @Option(name: .customLong("partition-by"), help: ArgumentHelp("Parquet: write a Hive-style folder tree partitioned by these columns, e.g. run,checkpoint_step.", valueName: "columns"))
    var partitionBy: String?

    @Flag(help: "Replace a --partition-by folder that has files in it (and, for export values as npy, an axes.json beside it that holds other axes).")
    var force = false

    @Flag(name: .customLong("no-headers"), help: "Leave out the header row.")
    var noHeaders = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Significant digits of non-integer numbers in the formats people read: table, markdown and latex (default 6). csv, tsv and json are always exact.", valueName: "n"))
    var digits: Int?

    @Option(help: ArgumentHelp("A caption for LaTeX output.", valueName: "text"))
    var caption: String?

    func validate() throws {
        try NumericOption.digits(digits)
        do { try target().check() } catch { throw ValidationError(error.description) }
    }

    /// The pipeline these options describe.
    func target() -> TableOutput {
        var target = TableOutput(format: format, path: output, isTerminal: isatty(1) == 1)
        target.partitionBy = partitionBy.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        target.replace = force
        target.headers = !noHeaders
        target.digits = digits
        target.caption = caption
        // A table on a terminal shows the columns that fit its width and says how many it left out.
        target.terminalWidth = TerminalWidth.ofStandardOutput()
        target.whenColumnsLeftOut = { count in
            Diagnostics.note("… \(count) more column\(count == 1 ? "" : "s"); use --format csv or a wider terminal")
        }
        return target
    }

    /// Whether the table would go to a terminal (no -o, standard output a terminal): where `--plot` draws instead.
    var toTerminal: Bool { output == nil && isatty(1) == 1 }

    /// Writes one table.
    func print(_ table: ResultTable) throws {
        try target().write(table)
    }

    /// Writes each run's table, stacked under a `run` column when there are several.
    func print(byRun tables: [(run: String, table: ResultTable)]) throws {
        try target().write(byRun: tables)
    }
}
