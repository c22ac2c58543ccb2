/// Compact unicode drawings for a terminal: sparklines and shaded heatmaps.
public enum TerminalPlot {
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let shades: [Character] = [" ", "░", "▒", "▓", "█"]

    /// One character per value (values averaged in buckets past `width`), ▁ for the smallest and █ for the largest.
    public static func sparkline(_ values: [Double], width: Int = 64) -> String {
        if values.count > width {
            let buckets = (0..<width).map { b in values[(b * values.count / width)..<((b + 1) * values.count / width)] }
            return sparkline(buckets.map { $0.reduce(0, +) / Double($0.count) }, width: width)
        }
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return String(repeating: " ", count: values.count) }
        return String(values.map { v in
            guard v.isFinite else { return " " }
            let t = high > low ? (v - low) / (high - low) : 0.5
            return bars[min(bars.count - 1, Int((t * Double(bars.count - 1)).rounded()))]
        })
    }

    /// Rows of shade characters, one column per value, with row labels and the scale below.
    public static func heatmap(rowLabels: [String], values: [[Double]], columnLabels: (first: String, last: String)) -> String {
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        // Labels can be stored names, and this goes to a terminal: control characters shown, not obeyed.
        let rowLabels = rowLabels.map(Escape.terminal)
        let width = rowLabels.map(\.count).max() ?? 0
        var lines: [String] = []
        for (label, row) in zip(rowLabels, values) {
            let cells = String(row.map { v -> Character in
                guard v.isFinite else { return "?" }
                let t = high > low ? (v - low) / (high - low) : 0.5
                return shades[min(shades.count - 1, Int((t * Double(shades.count - 1)).rounded()))]
            })
            lines.append(label.padding(toLength: width, withPad: " ", startingAt: 0) + " │" + cells + "│")
        }
        let span = values.first?.count ?? 0
        let gap = max(1, span - columnLabels.first.count - columnLabels.last.count)
        lines.append(String(repeating: " ", count: width + 2) + columnLabels.first + String(repeating: " ", count: gap) + columnLabels.last)
        lines.append(String(repeating: " ", count: width + 2) + "\(String(shades.dropFirst())) = \(Axis.label(low))…\(Axis.label(high))")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The capacity shares by layer (rows) over checkpoints (columns).
    public static func capacity(_ masses: ComponentMasses) -> String {
        let wide = CapacityWide(masses, by: .layer)
        let values = wide.groups.indices.map { g in wide.rows.map { $0.shares[g] } }
        return heatmap(rowLabels: wide.groups, values: values,
                       columnLabels: (String(masses.steps.first ?? 0), String(masses.steps.last ?? 0)))
    }

    /// One sparkline per profile, with its range.
    public static func profiles(_ profiles: Profiles) -> String {
        profiles.profiles.map { profile in
            let values = profile.points.map { Double($0.value) }
            let finite = values.filter(\.isFinite)
            return "step \(profile.step)  \(Escape.terminal(profile.component))  \(sparkline(values))  [\(Axis.label(finite.min() ?? 0)), \(Axis.label(finite.max() ?? 0))]\n"
        }.joined()
    }
}
