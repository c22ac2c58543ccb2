/// How a command prints a table. One option for all: `--format`.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Aligned columns for reading on a terminal (the default there).
    case table
    /// RFC 4180 quoting; lines end with `\n`.
    case csv
    /// Tab-separated; tab, newline, carriage return and backslash inside a cell are written `\t`, `\n`, `\r`, `\\`.
    case tsv
    /// One JSON array of objects; non-finite numbers are null.
    case json
    /// One JSON object per line.
    case jsonl
    /// A GitHub-flavoured Markdown table.
    case markdown
    /// A LaTeX booktabs tabular.
    case latex

    /// What commands print when `--format` is not given: aligned on a terminal, CSV into a pipe or file.
    public static func `default`(isTerminal: Bool) -> OutputFormat { isTerminal ? .table : .csv }
}
