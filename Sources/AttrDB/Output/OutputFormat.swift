/// How a command writes a table: one option for all, `--format`, or `-o`'s extension.
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
    /// A NumPy `.npy` array: a numeric table as 2-d float64 `[rows, columns]`.
    case npy
    /// An Apache Parquet file, or with `--partition-by` a Hive-partitioned folder of them.
    case parquet

    /// What commands print when neither `--format` nor `-o` says: aligned on a terminal, CSV into a pipe.
    public static func `default`(isTerminal: Bool) -> OutputFormat { isTerminal ? .table : .csv }

    /// The format a file name implies (`.csv`, `.tsv`, `.json`, `.jsonl`/`.ndjson`, `.md`, `.tex`,
    /// `.npy`, `.parquet`), or nil.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        let byExtension: [(String, OutputFormat)] = [
            (".csv", .csv), (".tsv", .tsv), (".jsonl", .jsonl), (".ndjson", .jsonl), (".json", .json),
            (".md", .markdown), (".markdown", .markdown), (".tex", .latex), (".npy", .npy), (".parquet", .parquet),
        ]
        guard let match = byExtension.first(where: { lower.hasSuffix($0.0) }) else { return nil }
        self = match.1
    }

    /// Whether the format is bytes for a program, not text: never written to a terminal.
    public var isBinary: Bool { self == .npy || self == .parquet }

    /// Significant digits when `--digits` is not given: 6 in the formats people read (table,
    /// markdown, latex); nil, exact values, in the formats programs read.
    public var defaultDigits: Int? {
        switch self {
        case .table, .markdown, .latex: return 6
        default: return nil
        }
    }
}
