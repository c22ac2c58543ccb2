import Foundation

/// Panels stacked over one checkpoint-step axis: a step sits at the same x in every panel, so a jump
/// in test accuracy lines up with the shift of capacity between layers above it.
///
/// ```swift
/// let figure = Timeline(title: "modadd", steps: [0, 10, 100], panels: [
///     .lines(title: "Accuracy", yLabel: "accuracy", series: [("test_acc", [(0, 0.1), (10, 0.2), (100, 0.99)])], y: .unit),
/// ])
/// let svg = figure.svg()
/// ```
public struct Timeline {
    public enum Panel {
        /// Rows × the timeline's steps, in viridis; values below `floor` (a cut-off) drawn pale.
        case heatmap(title: String, rows: [String], values: [[Double]], colorbar: String, floor: Double?)
        /// Shares at the timeline's steps stacked to fill [0, 1], one band per name.
        case stacked(title: String, bands: [(name: String, shares: [Double])])
        /// Series at steps of their own, on a y axis of the given kind.
        case lines(title: String, yLabel: String, series: [(name: String, points: [(step: Int, value: Double)])], y: YAxis)
    }

    /// How a lines panel's y axis spans its values.
    public enum YAxis: Sendable {
        /// From the smallest value to the largest.
        case linear
        /// log10 of the positive values, between whole powers of ten (losses).
        case log
        /// 0 to 1 whatever the values (accuracies), so a jump reads at its true size.
        case unit
    }

    /// A step to mark across every panel, with what happened there.
    public struct Marker {
        public var step: Int
        public var label: String

        public init(step: Int, label: String) {
            self.step = step
            self.label = label
        }
    }

    public var title: String
    /// The steps of the heatmap columns and stacked bands.
    public var steps: [Int]
    public var panels: [Panel]
    public var marker: Marker?

    public init(title: String, steps: [Int], panels: [Panel], marker: Marker? = nil) {
        self.title = title
        self.steps = steps
        self.panels = panels
        self.marker = marker
    }

    static let left = 78.0
    static let right = Legend.width + 20

    /// Every step the panels draw, for the shared axis's range.
    var allSteps: [Int] {
        var all = steps
        for case .lines(_, _, let series, _) in panels { all += series.flatMap { $0.points.map(\.step) } }
        return all
    }

    /// The one x scale every panel uses.
    func scale(width: Double) -> Axis.Scale {
        let all = allSteps
        return Axis.Scale(low: Double(all.min() ?? 0), high: Double(all.max() ?? 1), from: Timeline.left, to: width - Timeline.right,
                          logarithmic: Axis.isLogSpaced(steps.isEmpty ? all.sorted() : steps))
    }

    public func svg(width: Double = 1000) -> String {
        let x = scale(width: width)
        let columns = Int(width / 7.6)
        var body = SVG(width: width, height: 0, title: title)  // drawn first, framed once the height is known
        var top = 20 + 16 * Double(body.wrappedText(title, x: Timeline.left, y: 20, columns: columns, size: 13, lineHeight: 16, weight: "bold"))
        if let marker { top += 14 * Double(body.wrappedText(marker.label, x: Timeline.left, y: top, columns: columns, size: 11, lineHeight: 14, fill: Timeline.markerColor)) }
        let firstTop = top
        var lastBottom = top
        for (index, panel) in panels.enumerated() {
            let (panelTop, bottom) = draw(panel, index: index, on: &body, x: x, top: top + 16)
            body.text(panelTitle(panel), x: Timeline.left, y: panelTop - 5, size: 11, weight: "bold")
            lastBottom = bottom
            top = bottom + 30
        }
        if let marker {
            let px = x(Double(marker.step))
            body.line(x1: px, y1: firstTop + 4, x2: px, y2: lastBottom, stroke: Timeline.markerColor, width: 1.2, dash: "5,3")
        }
        let height = lastBottom + 40
        body.text(x.logarithmic ? "checkpoint step (log scale)" : "checkpoint step", x: (x.from + x.to) / 2, y: height - 8, size: 11, anchor: .middle)
        var svg = SVG(width: width, height: height, title: title)
        svg.raw(body.elements)
        return svg.render()
    }

    static let markerColor = "#c0392b"

    func panelTitle(_ panel: Panel) -> String {
        switch panel {
        case .heatmap(let title, _, _, _, _), .stacked(let title, _), .lines(let title, _, _, _): return title
        }
    }

    /// Draws one panel from `top`; returns its plot area's top and bottom.
    func draw(_ panel: Panel, index: Int, on svg: inout SVG, x: Axis.Scale, top: Double) -> (Double, Double) {
        let kind: String, height: Double
        switch panel {
        case .heatmap(_, let rows, _, _, _): kind = "heatmap"; height = max(12, min(26, 180 / Double(max(rows.count, 1)))) * Double(rows.count)
        case .stacked(_, let bands): kind = "stacked"; height = max(150, Legend(entries: bands.map { Legend.Entry(name: $0.name, swatch: .none) }).height)
        case .lines(_, _, let series, _): kind = "lines"; height = max(120, Legend(entries: series.map { Legend.Entry(name: $0.name, swatch: .none) }).height)
        }
        let bottom = top + height
        svg.beginGroup("panel", data: [("panel", String(index)), ("kind", kind), ("x-from", SVG.number(x.from)), ("x-to", SVG.number(x.to)),
                                       ("step-low", SVG.number(x.low)), ("step-high", SVG.number(x.high)), ("log-x", String(x.logarithmic))])
        switch panel {
        case .heatmap(_, let rows, let values, let colorbar, let floor):
            drawHeatmap(&svg, x: x, top: top, bottom: bottom, rows: rows, values: values, colorbar: colorbar, floor: floor)
        case .stacked(_, let bands):
            let y = Axis.Scale(low: 0, high: 1, from: bottom, to: top)
            var lower = [Double](repeating: 0, count: steps.count)
            for (index, band) in bands.enumerated() {
                let upper = zip(lower, band.shares).map { $0 + ($1.isFinite ? max(0, $1) : 0) }
                // One checkpoint alone spans the axis, as its heatmap cell does; otherwise each is a vertex.
                let xs = steps.count == 1 ? [x.from, x.to] : steps.map { x(Double($0)) }
                let column = steps.count == 1 ? [0, 0] : Array(steps.indices)
                let points = column.indices.map { (xs[$0], y(upper[column[$0]])) } + column.indices.reversed().map { (xs[$0], y(lower[column[$0]])) }
                svg.path(points, stroke: "#ffffff", fill: Colormap.fill(index), width: 0.5, closed: true, opacity: 0.92, cssClass: "band", tooltip: band.name)
                lower = upper
            }
            Timeline.frame(&svg, x: x, y: y, yTicks: [0, 0.5, 1], yLabel: "share of mass")
            Legend(entries: bands.indices.reversed().map { Legend.Entry(name: bands[$0].name, swatch: .fill(Colormap.fill($0))) })
                .draw(&svg, x: x.to + 14, y: top)
        case .lines(_, let yLabel, let series, let axis):
            let logY = axis == .log
            func transform(_ v: Double) -> Double? { v.isFinite ? (logY ? (v > 0 ? log10(v) : nil) : v) : nil }
            let finite = series.flatMap { $0.points.compactMap { transform($0.value) } }
            var low = finite.min() ?? 0, high = finite.max() ?? 1
            if logY { low = low.rounded(.down); high = high.rounded(.up) }
            if axis == .unit { low = min(low, 0); high = max(high, 1) }
            if low == high { low -= 1; high += 1 }
            let pad = axis == .linear ? (high - low) * 0.05 : 0
            let y = Axis.Scale(low: low - pad, high: high + pad, from: bottom, to: top)
            let ticks = logY ? stride(from: low, through: high, by: max(1, ((high - low) / 4).rounded(.up))).map { $0 } : Axis.ticks(low, high, count: 4)
            Timeline.frame(&svg, x: x, y: y, yTicks: ticks, yLabel: yLabel, tickLabel: logY ? Timeline.powerOfTen : Axis.label)
            var legend = Legend()
            for (index, entry) in series.enumerated() {
                let style = Colormap.lineStyle(index) ?? Colormap.overflow
                let points = entry.points.compactMap { point in transform(point.value).map { (x(Double(point.step)), y($0)) } }
                svg.path(points, stroke: style.color, width: 1.7, dash: style.dash, cssClass: "series", tooltip: entry.name)
                legend.entries.append(Legend.Entry(name: entry.name, swatch: .line(style)))
            }
            legend.draw(&svg, x: x.to + 14, y: top)
        }
        svg.endGroup()
        return (top, bottom)
    }

    func drawHeatmap(_ svg: inout SVG, x: Axis.Scale, top: Double, bottom: Double, rows: [String], values: [[Double]], colorbar: String, floor: Double?) {
        let rowHeight = (bottom - top) / Double(max(rows.count, 1))
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let low = floor ?? (finite.min() ?? 0), high = max(finite.max() ?? 1, low)
        func color(_ v: Double) -> String {
            guard v.isFinite else { return "#dddddd" }
            if let floor, v < floor { return "#f3f3f3" }
            return Colormap.sequential(high > low ? (v - low) / (high - low) : 0.5)
        }
        // Each checkpoint's cell reaches halfway to its neighbours on the shared axis.
        let centres = steps.map { x(Double($0)) }
        let edges = centres.indices.map { i in i == 0 ? x.from : (centres[i - 1] + centres[i]) / 2 } + [x.to]
        for (r, label) in rows.enumerated() {
            let y = top + Double(r) * rowHeight
            svg.text(label, x: x.from - 6, y: y + rowHeight / 2 + 4, size: 10, anchor: .end)
            for (c, step) in steps.enumerated() {
                let v = values[safe: r]?[safe: c] ?? .nan
                svg.rect(x: edges[c], y: y, width: edges[c + 1] - edges[c] + 0.6, height: rowHeight + 0.6, fill: color(v),
                         tooltip: "\(label), step \(step): \(Axis.label(v))")
            }
        }
        Timeline.frame(&svg, x: x, y: Axis.Scale(low: 0, high: 1, from: bottom, to: top), yTicks: [], yLabel: nil)
        // The colour bar, top = high.
        let barX = x.to + 14, segments = 30, barHeight = bottom - top
        for i in 0..<segments {
            let t = Double(i) / Double(segments)
            svg.rect(x: barX, y: top + t * barHeight, width: 10, height: barHeight / Double(segments) + 0.4, fill: color(high - (t + 0.5 / Double(segments)) * (high - low)))
        }
        svg.text(Axis.label(high), x: barX + 14, y: top + 8, size: 9)
        svg.text((floor == nil ? "" : "< ") + Axis.label(low), x: barX + 14, y: bottom, size: 9)
        svg.wrappedText(colorbar, x: barX + 52, y: top + 8, columns: 18, size: 9, lineHeight: 11)
    }

    /// The label of the tick at 10^`exponent`: 0.01, 1, 100 when short, else 1e-4, 1e5.
    static func powerOfTen(_ exponent: Double) -> String {
        (-2...3).contains(exponent) ? Axis.label(pow(10, exponent)) : "1e\(Int(exponent))"
    }

    /// The panel's axes: the shared step ticks below, `yTicks` at the left.
    static func frame(_ svg: inout SVG, x: Axis.Scale, y: Axis.Scale, yTicks: [Double], yLabel: String?, tickLabel: (Double) -> String = Axis.label) {
        svg.line(x1: x.from, y1: y.from, x2: x.to, y2: y.from)
        svg.line(x1: x.from, y1: y.from, x2: x.from, y2: y.to)
        for tick in x.ticks() {
            let px = x(tick)
            guard px >= x.from - 0.5 && px <= x.to + 0.5 else { continue }
            svg.line(x1: px, y1: y.from, x2: px, y2: y.from + 4)
            svg.text(Axis.label(tick), x: px, y: y.from + 15, size: 9, anchor: .middle)
        }
        for tick in yTicks {
            let py = y(tick)
            svg.line(x1: x.from - 4, y1: py, x2: x.from, y2: py)
            svg.line(x1: x.from, y1: py, x2: x.to, y2: py, stroke: "#e6e6e6", width: 0.5)
            svg.text(tickLabel(tick), x: x.from - 7, y: py + 3.5, size: 9, anchor: .end)
        }
        if let yLabel { svg.text(yLabel, x: 14, y: (y.from + y.to) / 2, size: 10, anchor: .middle, rotate: -90) }
    }
}
