import ArgumentParser
import AttrDB
import Foundation

extension OutputFormat: ExpressibleByArgument {}

/// `--format`, `--no-headers` and `--digits`: how every command that prints a table prints it.
struct OutputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Output format: \(OutputFormat.allCases.map(\.rawValue).joined(separator: "|")) (default: table on a terminal, else csv).", valueName: "format"))
    var format: OutputFormat?

    @Flag(name: .customLong("no-headers"), help: "Leave out the header row.")
    var noHeaders = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Significant digits of non-integer numbers in the formats people read: table, markdown and latex (default 6). csv, tsv and json are always exact.", valueName: "n"))
    var digits: Int?

    func validate() throws {
        try NumericOption.digits(digits)
    }

    func resolvedFormat(for sink: OutputSink) -> OutputFormat {
        format ?? OutputFormat.default(isTerminal: sink.isTerminal)
    }

    /// A streaming writer on standard output. A table on a terminal shows the columns that fit its
    /// width and says on standard error how many it left out.
    func writer(columns: [String], sink: OutputSink = .standardOutput(), caption: String? = nil) -> TableWriter {
        let format = resolvedFormat(for: sink)
        let humanDigits = digits ?? ([.table, .markdown, .latex].contains(format) ? 6 : nil)
        let writer = TableWriter(columns: columns, format: format, sink: sink, headers: !noHeaders, digits: humanDigits, caption: caption)
        if format == .table && sink.isTerminal {
            writer.maxWidth = TerminalWidth.ofStandardOutput()
            writer.whenColumnsLeftOut = { count in
                Diagnostics.note("… \(count) more column\(count == 1 ? "" : "s"); use --format csv or a wider terminal")
            }
        }
        return writer
    }

    func print(_ table: ResultTable, sink: OutputSink = .standardOutput(), caption: String? = nil) throws {
        let writer = writer(columns: table.columns, sink: sink, caption: caption)
        for row in table.rows { try writer.write(row) }
        try writer.finish()
    }
}
