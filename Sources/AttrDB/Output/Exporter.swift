import Foundation

/// `attrdb export`: computes a table for one or more runs and writes it in any format —
/// text to a sink, Parquet to a file or a Hive-partitioned folder, NumPy to a file.
///
/// Every file and folder is written beside its target and moved into place when complete (see
/// ``AtomicFile``): a failed export leaves what was there before, and nothing beside it.
public struct Exporter {
    public var table: ExportTable
    public var format: ExportFormat
    /// The file or, with `partitionBy`, the folder; nil for standard output.
    public var output: String?
    public var headers = true
    public var digits: Int?
    public var caption: String?
    public var partitionBy: [String] = []
    /// Replace a partitioned dataset's folder that has files in it, and an `axes.json` beside a
    /// values `.npy` that holds other axes; without it both are refused.
    public var replace = false

    public init(table: ExportTable, format: ExportFormat, output: String?) {
        self.table = table
        self.format = format
        self.output = output
    }

    /// Writes `table` for `runs` (stacked, with a leading `run` column when there are several or
    /// when partitioning by run).
    public func export(store: Store, runs: [String], scan: String?, metric: String?, selection: QuerySelection?,
                       parameters: ExportTable.Parameters) throws {
        let runs = table == .runs ? [""] : runs
        if table != .runs && runs.isEmpty { throw StoreError.badInput("export \(table.rawValue) needs --run NAME") }
        let checkpoints = selection?.checkpoints ?? table.defaultCheckpoints
        let withRunColumn = runs.count > 1 || partitionBy.contains("run")
        let querySelection = selection ?? QuerySelection(checkpoints: table.defaultCheckpoints)

        if format == .npy {
            guard runs.count == 1, let run = runs.first else { throw StoreError.badInput("npy export takes one run") }
            if table == .values, let output, (output as NSString).lastPathComponent == "axes.json" {
                throw StoreError.badInput("\(output): the axes go to axes.json beside the array; give the array another name, e.g. attributions.npy")
            }
            let sink = try output.map(OutputSink.file) ?? .standardOutput()
            if table == .values {
                let resolved = try ResolvedSelection(scan: ScanSelection(store: store, run: run, scan: scan, metric: metric), selection: querySelection)
                let axes = try ValuesTable.writeNPY(resolved.scan, checkpointIndices: resolved.checkpoints, coefficients: resolved.coefficients,
                                                    components: resolved.components, to: sink)
                // Both files are complete before either replaces anything.
                let axesSink = try output.flatMap { try axesFile(beside: $0, text: axes) }
                try sink.finish()
                try axesSink?.finish()
                return
            }
            let result = try compute(store: store, run: run, scan: scan, metric: metric, selection: querySelection, checkpoints: checkpoints, parameters: parameters)
            try NumericArray.write(result, to: sink)
            try sink.finish()
            return
        }

        var sink: RowSink?
        func sinkFor(_ columns: [String]) throws -> RowSink {
            if let sink { return sink }
            let made: RowSink
            switch format {
            case .parquet:
                guard let output else { throw StoreError.badInput("parquet export needs -o FILE (or a folder with --partition-by)") }
                // Only values stream here; their columns' types are fixed.
                let parquetColumns = (columns.first == "run" ? [ParquetColumn("run", .string)] : []) + ValuesTable.parquetColumns
                made = partitionBy.isEmpty ? try ParquetWriter(path: output, columns: parquetColumns)
                    : try PartitionedParquetWriter(root: output, columns: parquetColumns, partitionBy: partitionBy, replace: replace)
            default:
                let out = try output.map(OutputSink.file) ?? .standardOutput()
                let text = format.textFormat ?? .csv
                made = TableWriter(columns: columns, format: text, sink: out, headers: headers,
                                   digits: digits ?? ([.table, .markdown, .latex].contains(text) ? 6 : nil), caption: caption)
            }
            sink = made
            return made
        }

        if table == .values {
            let columns = (withRunColumn ? ["run"] : []) + ValuesTable.columns
            // Every run's selection is resolved before the first row is written: a selection that
            // cannot select is refused with nothing written, not after a header or another run's rows.
            let resolved = try runs.map { run in
                (run, try ResolvedSelection(scan: ScanSelection(store: store, run: run, scan: scan, metric: metric), selection: querySelection))
            }
            let target = try sinkFor(columns)
            for (run, selection) in resolved {
                let rows: RowSink = withRunColumn ? PrefixingSink(prefix: [.text(run)], target: target) : target
                try ValuesTable.write(selection.scan, checkpointIndices: selection.checkpoints, coefficients: selection.coefficients,
                                      components: selection.components, to: rows)
            }
            try target.finish()
            return
        }

        var tables: [(run: String, table: ResultTable)] = []
        for run in runs {
            tables.append((run, try compute(store: store, run: run, scan: scan, metric: metric, selection: querySelection, checkpoints: checkpoints, parameters: parameters)))
        }
        let combined: ResultTable
        if withRunColumn, let first = tables.first {
            combined = ResultTable(columns: ["run"] + first.table.columns, rows: tables.flatMap { entry in entry.table.rows.map { [.text(entry.run)] + $0 } })
        } else {
            combined = tables.first?.table ?? ResultTable(columns: [])
        }
        if format == .parquet {
            guard let output else { throw StoreError.badInput("parquet export needs -o FILE (or a folder with --partition-by)") }
            let columns = try ParquetColumn.columns(for: combined)
            let writer: RowSink = partitionBy.isEmpty ? try ParquetWriter(path: output, columns: columns)
                : try PartitionedParquetWriter(root: output, columns: columns, partitionBy: partitionBy, replace: replace)
            for row in combined.rows { try writer.write(row) }
            try writer.finish()
            return
        }
        let target = try sinkFor(combined.columns)
        for row in combined.rows { try target.write(row) }
        try target.finish()
    }

    /// The `axes.json` beside a values `.npy`, written but not yet moved into place; nil when the
    /// one there already holds these axes. The user named the array, not this file, so one with
    /// other axes in it is replaced only with `replace`.
    private func axesFile(beside array: String, text: String) throws -> OutputSink? {
        let folder = (array as NSString).deletingLastPathComponent
        let path = folder.isEmpty ? "axes.json" : folder + "/axes.json"
        if let existing = FileManager.default.contents(atPath: path) {
            if existing == Data(text.utf8) { return nil }
            if !replace { throw OutputFileError.exists(path: path, why: "holds other axes; export values writes the axes beside the array") }
        }
        let sink = try OutputSink.file(path)
        try sink.write(text)
        return sink
    }

    private func compute(store: Store, run: String, scan: String?, metric: String?, selection: QuerySelection,
                         checkpoints: CheckpointSelection, parameters: ExportTable.Parameters) throws -> ResultTable {
        let resolved = table.readsValues ? try ResolvedSelection(scan: ScanSelection(store: store, run: run, scan: scan, metric: metric), selection: selection) : nil
        return try table.table(store: store, resolved: resolved, run: run, checkpoints: checkpoints, parameters: parameters)
    }
}

/// Adds leading cells (the run's name) to every row on the way to another sink.
final class PrefixingSink: RowSink {
    let prefix: [Cell]
    let target: RowSink

    init(prefix: [Cell], target: RowSink) {
        self.prefix = prefix
        self.target = target
    }

    func write(_ row: [Cell]) throws { try target.write(prefix + row) }
    /// The target is finished by whoever owns it, after the last run.
    func finish() throws {}
}

/// A numeric table as a 2-d float64 `.npy` array [rows, columns].
enum NumericArray {
    static func write(_ table: ResultTable, to sink: OutputSink) throws {
        if let column = table.columns.indices.first(where: { i in table.rows.contains { !$0[i].isNumeric && $0[i] != .null } }) {
            throw StoreError.badInput("npy export takes numeric tables; column '\(table.columns[column])' holds text (use csv, json or parquet)")
        }
        let writer = try NPYWriter(sink: sink, dtype: .float64, shape: [table.rows.count, table.columns.count])
        for row in table.rows { try writer.append(row.map { $0.doubleValue ?? .nan }) }
        try writer.finish()
    }
}
