/// Series of (x, y) points with a legend naming each in full: profiles against the coefficient,
/// norm growth or concentration over checkpoints. Every series has its own look (colour and dash);
/// what is not drawn one by one is a grey min–max band, said so in the legend.
public struct LinePlot {
    public struct Series {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var style: Colormap.LineStyle

        public init(name: String, points: [(x: Double, y: Double)], style: Colormap.LineStyle) {
            self.name = name
            self.points = points
            self.style = style
        }
    }

    /// The range the series not drawn span at each x.
    public struct Band {
        public var name: String
        public var points: [(x: Double, low: Double, high: Double)]

        public init(name: String, points: [(x: Double, low: Double, high: Double)]) {
            self.name = name
            self.points = points
        }
    }

    static let bandColor = "#d9d9d9"

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var band: Band?
    /// A last legend line without a swatch ("+3 more clusters in the band").
    public var note: String?
    public var logX: Bool

    public init(title: String, xLabel: String, yLabel: String, series: [Series], band: Band? = nil, note: String? = nil, logX: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.band = band
        self.note = note
        self.logX = logX
    }

    var legend: Legend {
        var legend = Legend(entries: series.map { Legend.Entry(name: $0.name, swatch: .line($0.style)) })
        if let band { legend.entries.append(Legend.Entry(name: band.name, swatch: .band)) }
        if let note { legend.entries.append(Legend.Entry(name: note, swatch: .none)) }
        return legend
    }

    /// The figure, `width` wide (a page scales it to fit); taller than `height` when the legend needs it.
    public func svg(width: Double = 1000, height: Double = 340) -> String {
        let titleLines = SVG.wrap(title, columns: Int(width / 7.6))
        let left = 62.0, right = Legend.width + 20, top = 22 + 16 * Double(titleLines.count), bottom = 48.0
        let legend = self.legend
        let height = max(height, top + legend.height + bottom)
        var svg = SVG(width: width, height: height, title: title)
        svg.wrappedText(title, x: left, y: 20, columns: Int(width / 7.6), size: 13, lineHeight: 16, weight: "bold")
        let xs = series.flatMap { $0.points.map(\.x) } + (band?.points.map(\.x) ?? [])
        let ys = series.flatMap { $0.points.map(\.y) } + (band?.points.flatMap { [$0.low, $0.high] } ?? [])
        let finiteX = xs.filter(\.isFinite), finiteY = ys.filter(\.isFinite)
        var yLow = finiteY.min() ?? 0, yHigh = finiteY.max() ?? 1
        if yLow == yHigh { yLow -= 1; yHigh += 1 }
        let pad = (yHigh - yLow) * 0.05
        let x = Axis.Scale(low: finiteX.min() ?? 0, high: finiteX.max() ?? 1, from: left, to: width - right, logarithmic: logX)
        let y = Axis.Scale(low: yLow - pad, high: yHigh + pad, from: height - bottom, to: top)
        AxesFrame.draw(&svg, x: x, y: y, xLabel: xLabel, yLabel: yLabel, width: width, height: height, bottom: bottom, left: left)
        if yLow - pad < 0 && yHigh + pad > 0 { svg.line(x1: left, y1: y(0), x2: width - right, y2: y(0), stroke: "#999", width: 0.7, dash: "3,3") }
        if let band {
            let kept = band.points.filter { $0.x.isFinite && $0.low.isFinite && $0.high.isFinite }
            svg.path(kept.map { (x($0.x), y($0.high)) } + kept.reversed().map { (x($0.x), y($0.low)) }, stroke: nil, fill: LinePlot.bandColor,
                     closed: true, cssClass: "band", tooltip: band.name)
        }
        for entry in series {
            let points = entry.points.filter { $0.x.isFinite && $0.y.isFinite }.map { (x($0.x), y($0.y)) }
            svg.path(points, stroke: entry.style.color, width: 1.6, opacity: 0.9, dash: entry.style.dash, cssClass: "series", tooltip: entry.name)
            // A path through one point draws nothing: mark it (one coefficient, one checkpoint).
            if points.count == 1, let point = points.first {
                svg.raw("<circle cx=\"\(SVG.number(point.0))\" cy=\"\(SVG.number(point.1))\" r=\"3.5\" fill=\"\(entry.style.color)\"/>")
            }
        }
        legend.draw(&svg, x: width - right + 14, y: top)
        return svg.render()
    }
}
