/// A heatmap of rows (layers, kinds) × checkpoints with a colour bar: the capacity table at a glance.
public struct Heatmap {
    public var title: String
    public var rowLabels: [String]
    public var steps: [Int]
    /// `values[row][column]`.
    public var values: [[Double]]
    public var colorbarLabel: String
    /// Signed data gets the diverging map centred on 0; magnitudes get viridis.
    public var signed: Bool

    public init(title: String, rowLabels: [String], steps: [Int], values: [[Double]], colorbarLabel: String, signed: Bool = false) {
        self.title = title
        self.rowLabels = rowLabels
        self.steps = steps
        self.values = values
        self.colorbarLabel = colorbarLabel
        self.signed = signed
    }

    /// Checkpoints take equal-width columns in order; with log-spaced steps that reads as a log
    /// axis, and the tick labels name the steps.
    public func svg(width: Double = 1000) -> String {
        let left = 78.0, right = 92.0, top = 34.0, bottom = 48.0
        let rowHeight = max(14, min(36, 220 / Double(max(rowLabels.count, 1))))
        let height = top + bottom + rowHeight * Double(rowLabels.count)
        var svg = SVG(width: width, height: height, title: title)
        svg.text(title, x: left, y: 20, size: 13, weight: "bold")
        let plotWidth = width - left - right
        let columnWidth = plotWidth / Double(max(steps.count, 1))
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let low = signed ? -(finite.map(abs).max() ?? 1) : (finite.min() ?? 0)
        let high = signed ? (finite.map(abs).max() ?? 1) : (finite.max() ?? 1)
        func color(_ v: Double) -> String {
            guard v.isFinite else { return "#dddddd" }
            if signed { return Colormap.signed(high > 0 ? v / high : 0) }
            return Colormap.sequential(high > low ? (v - low) / (high - low) : 0.5)
        }
        for (r, label) in rowLabels.enumerated() {
            let y = top + Double(r) * rowHeight
            svg.text(label, x: left - 6, y: y + rowHeight / 2 + 4, size: 10, anchor: .end)
            for (c, step) in steps.enumerated() {
                let v = values[safe: r]?[safe: c] ?? .nan
                svg.rect(x: left + Double(c) * columnWidth, y: y, width: columnWidth + 0.3, height: rowHeight + 0.3, fill: color(v),
                         tooltip: "\(label), step \(step): \(Axis.label(v))")
            }
        }
        let bottomY = top + rowHeight * Double(rowLabels.count)
        let every = max(1, Int((Double(steps.count) / 8).rounded(.up)))
        // Every few steps, and the last unless it would sit on top of the one before.
        let lastShown = (steps.count - 1) % every == 0 || (steps.count - 1) % every >= every / 2 + 1
        for (c, step) in steps.enumerated() where c % every == 0 || (c == steps.count - 1 && lastShown) {
            let x = left + (Double(c) + 0.5) * columnWidth
            svg.line(x1: x, y1: bottomY, x2: x, y2: bottomY + 4)
            svg.text(String(step), x: x, y: bottomY + 16, size: 10, anchor: .middle)
        }
        let logSpaced = Axis.isLogSpaced(steps)
        svg.text(logSpaced ? "checkpoint step (log-spaced)" : "checkpoint step", x: left + plotWidth / 2, y: height - 10, size: 11, anchor: .middle)
        // Colour bar.
        let barX = width - right + 18, barHeight = max(rowHeight * Double(rowLabels.count), 60)
        let segments = 40
        for i in 0..<segments {
            let t = Double(i) / Double(segments - 1)
            let v = high - t * (high - low)
            svg.rect(x: barX, y: top + t * (barHeight - barHeight / Double(segments)), width: 12, height: barHeight / Double(segments) + 0.5, fill: color(v))
        }
        svg.text(Axis.label(high), x: barX + 16, y: top + 8, size: 9)
        svg.text(Axis.label(low), x: barX + 16, y: top + barHeight, size: 9)
        svg.text(colorbarLabel, x: barX + 52, y: top + barHeight / 2, size: 10, anchor: .middle, rotate: 90)
        return svg.render()
    }
}
