/// Series of (x, y) points with a legend: profiles against the coefficient coloured by cluster,
/// norm growth or concentration over checkpoints.
public struct LinePlot {
    public struct Series {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// Series sharing a group share a colour (a cluster); the legend lists groups.
        public var group: Int

        public init(name: String, points: [(x: Double, y: Double)], group: Int) {
            self.name = name
            self.points = points
            self.group = group
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    /// Names of the groups for the legend; by default the series' own names.
    public var groupNames: [Int: String]
    public var logX: Bool

    public init(title: String, xLabel: String, yLabel: String, series: [Series], groupNames: [Int: String] = [:], logX: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.groupNames = groupNames
        self.logX = logX
    }

    public func svg(width: Double = 600, height: Double = 320) -> String {
        let left = 62.0, right = 170.0, top = 34.0, bottom = 48.0
        var svg = SVG(width: width, height: height, title: title)
        svg.text(title, x: left, y: 20, size: 13, weight: "bold")
        let xs = series.flatMap { $0.points.map(\.x) }.filter(\.isFinite)
        let ys = series.flatMap { $0.points.map(\.y) }.filter(\.isFinite)
        var yLow = ys.min() ?? 0, yHigh = ys.max() ?? 1
        if yLow == yHigh { yLow -= 1; yHigh += 1 }
        let pad = (yHigh - yLow) * 0.05
        let x = Axis.Scale(low: xs.min() ?? 0, high: xs.max() ?? 1, from: left, to: width - right, logarithmic: logX)
        let y = Axis.Scale(low: yLow - pad, high: yHigh + pad, from: height - bottom, to: top)
        AxesFrame.draw(&svg, x: x, y: y, xLabel: xLabel, yLabel: yLabel, width: width, height: height, bottom: bottom, left: left)
        if yLow - pad < 0 && yHigh + pad > 0 { svg.line(x1: left, y1: y(0), x2: width - right, y2: y(0), stroke: "#999", width: 0.7, dash: "3,3") }
        for entry in series {
            let points = entry.points.filter { $0.x.isFinite && $0.y.isFinite }.map { (x($0.x), y($0.y)) }
            svg.path(points, stroke: Colormap.series(entry.group), width: 1.4, opacity: 0.85)
        }
        var legend: [(Int, String)] = []
        for entry in series where !legend.contains(where: { $0.0 == entry.group }) {
            let name = groupNames[entry.group] ?? entry.name
            legend.append((entry.group, name.count > 26 ? String(name.prefix(25)) + "…" : name))
        }
        legend.sort { $0.0 < $1.0 }
        for (index, item) in legend.prefix(14).enumerated() {
            let legendY = top + 8 + Double(index) * 15
            svg.line(x1: width - right + 12, y1: legendY - 3, x2: width - right + 26, y2: legendY - 3, stroke: Colormap.series(item.0), width: 2.5)
            svg.text(item.1, x: width - right + 30, y: legendY, size: 10)
        }
        return svg.render()
    }
}
