import Foundation

/// `attrdb export values`: every selected value, streamed in long form through the output
/// pipeline — or, as npy, one run's values as numpy's `[checkpoints, coefficients, components]`
/// float32 array with the `axes.json` beside it that makes the folder a dataset `ingest` reads.
///
/// ```swift
/// let output = TableOutput(format: nil, path: "values.parquet", isTerminal: false)
/// try ValuesExport.write([resolved], to: output)
/// ```
public enum ValuesExport {
    /// Writes the values `selections` select (one per run; a leading `run` column when there are
    /// several or when the output is partitioned by run).
    public static func write(_ selections: [ResolvedSelection], to output: TableOutput) throws {
        if output.format == .npy { return try writeNPY(selections, to: output) }
        let runColumn = output.runColumn(runs: selections.count)
        let target = try output.rows(columns: (runColumn ? ["run"] : []) + ValuesTable.columns,
                                     types: (runColumn ? [ParquetColumn("run", .string)] : []) + ValuesTable.parquetColumns)
        for selection in selections {
            // Each run's rows go through a sink that does not finish the target: it is finished once, after the last run.
            let rows = PrefixingSink(prefix: runColumn ? [.text(selection.scan.run)] : [], target: target)
            try ValuesTable.write(selection.scan, checkpointIndices: selection.checkpoints, coefficients: selection.coefficients,
                                  components: selection.components, to: rows)
        }
        try target.finish()
    }

    private static func writeNPY(_ selections: [ResolvedSelection], to output: TableOutput) throws {
        guard selections.count == 1, let selection = selections.first else { throw StoreError.invalidArgument("npy output of values takes one run") }
        if let path = output.path, (path as NSString).lastPathComponent == "axes.json" {
            throw StoreError.invalidArgument("\(path): the axes go to axes.json beside the array; give the array another name, e.g. attributions.npy")
        }
        let sink = try output.sink()
        let axes = try ValuesTable.writeNPY(selection.scan, checkpointIndices: selection.checkpoints, coefficients: selection.coefficients,
                                            components: selection.components, to: sink)
        // Both files are complete before either replaces anything.
        let axesSink = try output.path.flatMap { try axesFile(beside: $0, text: axes, replace: output.replace) }
        try sink.finish()
        try axesSink?.finish()
    }

    /// The `axes.json` beside a values `.npy`, written but not yet moved into place; nil when the
    /// one there already holds these axes. The user named the array, not this file, so one with
    /// other axes in it is replaced only with `replace`.
    private static func axesFile(beside array: String, text: String, replace: Bool) throws -> OutputSink? {
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
}

/// Adds leading cells (the run's name) to every row on the way to another sink, and leaves
/// finishing that sink to its owner.
final class PrefixingSink: RowSink {
    let prefix: [Cell]
    let target: RowSink

    init(prefix: [Cell], target: RowSink) {
        self.prefix = prefix
        self.target = target
    }

    func write(_ row: [Cell]) throws { try target.write(prefix.isEmpty ? row : prefix + row) }
    /// The target is finished by whoever owns it, after the last run.
    func finish() throws {}
}
