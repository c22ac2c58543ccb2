/// The tables `attrdb export` writes: the raw values, and the run's own rows that no query
/// command prints. Every analysis is written by its own command (`capacity -o capacity.parquet`).
public enum ExportTable: String, CaseIterable, Sendable {
    case values, checkpoints, components, losses

    /// Whether the table reads a scan's values (and so takes --scan, --metric, --coef, --layer, --kind, --component).
    public var readsValues: Bool { self == .values }

    /// Whether the table has a row per checkpoint, so that `--checkpoint` applies to it.
    public var hasCheckpoints: Bool { self != .components }

    /// One run's table, its rows kept to the checkpoints `checkpoints` selects (applied to the steps
    /// the table holds, as every query command applies it). `values` is streamed by ``ValuesExport`` instead.
    public func table(store: Store, run: String, checkpoints: CheckpointSelection) throws -> ResultTable {
        switch self {
        case .checkpoints: return try checkpoints.rows(of: try StoreTables.checkpoints(store: store, run: run), run: run)
        case .losses: return try checkpoints.rows(of: try StoreTables.losses(store: store, run: run), run: run)
        case .components: return try StoreTables.components(store: store, run: run)
        case .values: preconditionFailure("values are streamed by ValuesExport")
        }
    }
}
