/// The formats `attrdb export` writes: every table format, plus NumPy and Parquet.
public enum ExportFormat: String, CaseIterable, Sendable {
    case table, csv, tsv, json, jsonl, markdown, latex, npy, parquet

    /// The format a file name implies (`.csv`, `.tsv`, `.json`, `.jsonl`/`.ndjson`, `.md`, `.tex`,
    /// `.npy`, `.parquet`), or nil.
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        let byExtension: [(String, ExportFormat)] = [
            (".csv", .csv), (".tsv", .tsv), (".jsonl", .jsonl), (".ndjson", .jsonl), (".json", .json),
            (".md", .markdown), (".markdown", .markdown), (".tex", .latex), (".npy", .npy), (".parquet", .parquet),
        ]
        guard let match = byExtension.first(where: { lower.hasSuffix($0.0) }) else { return nil }
        self = match.1
    }

    /// The text format, for the formats ``TableWriter`` writes.
    public var textFormat: OutputFormat? { OutputFormat(rawValue: rawValue) }
}
