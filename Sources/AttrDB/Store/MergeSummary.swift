import Foundation

/// What one source's merge did: the line `attrdb merge` prints per source.
public struct MergeSummary: Equatable, Sendable {
    /// The source store's path.
    public var source: String
    /// The runs merged, by name.
    public var runs: [String] = []
    /// Runs the store did not have before.
    public var runsAdded = 0
    /// Matrices (one per scan, metric and checkpoint) new to the store.
    public var added = 0
    /// Matrices the store held already with the same bytes.
    public var identical = 0
    /// Matrices whose stored bytes the source's replaced (`--replace`).
    public var replaced = 0
    /// Values in the matrices copied (added and replaced).
    public var valuesCopied = 0
    /// Rows of tags, statistics and norms copied (``MergeTable/all``).
    public var rows = 0
    public var seconds = 0.0

    public init(source: String) { self.source = source }

    /// Values copied per second.
    public var valuesPerSecond: Double { seconds > 0 ? Double(valuesCopied) / seconds : 0 }

    /// True when the merge wrote nothing.
    public var changedNothing: Bool { runsAdded == 0 && added == 0 && replaced == 0 && rows == 0 }

    /// One line: the source, its runs, the matrices added, identical and replaced, values and rate.
    public var line: String {
        let rate = valuesPerSecond >= 1e6 ? String(format: "%.1f M values/s", valuesPerSecond / 1e6) : String(format: "%.0f values/s", valuesPerSecond)
        let names = runs.map(Escape.terminal).joined(separator: ", ")
        var text = "\(Escape.terminal(source)): \(runs.count) run\(runs.count == 1 ? "" : "s") (\(names)), \(runsAdded) new"
        text += "; \(added) checkpoint matrices added, \(identical) identical, \(replaced) replaced; \(valuesCopied) values copied"
        text += " in \(String(format: "%.3f", seconds)) s (\(rate)); \(rows) tag, statistic and norm rows"
        if changedNothing { text += "; nothing new: store unchanged" }
        return text
    }
}
