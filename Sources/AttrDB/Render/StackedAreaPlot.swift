/// Shares over training as stacked bands (one per layer or kind) that fill [0, 1].
public struct StackedAreaPlot {
    public var title: String
    public var steps: [Int]
    public var bands: [(name: String, shares: [Double])]

    public init(title: String, steps: [Int], bands: [(name: String, shares: [Double])]) {
        self.title = title
        self.steps = steps
        self.bands = bands
    }

    public func svg(width: Double = 1000, height: Double = 320) -> String {
        let left = 56.0, right = Legend.width + 20, top = 34.0, bottom = 48.0
        var svg = SVG(width: width, height: height, title: title)
        svg.text(title, x: left, y: 20, size: 13, weight: "bold")
        let logX = Axis.isLogSpaced(steps)
        let x = Axis.Scale(low: Double(steps.first ?? 0), high: Double(steps.last ?? 1), from: left, to: width - right, logarithmic: logX)
        let y = Axis.Scale(low: 0, high: 1, from: height - bottom, to: top)
        var lower = [Double](repeating: 0, count: steps.count)
        for (index, band) in bands.enumerated() {
            let upper = zip(lower, band.shares).map { $0 + (($1.isFinite) ? max(0, $1) : 0) }
            let points = steps.indices.map { (x(Double(steps[$0])), y(upper[$0])) } + steps.indices.reversed().map { (x(Double(steps[$0])), y(lower[$0])) }
            svg.path(points, stroke: "#ffffff", fill: Colormap.fill(index), width: 0.5, closed: true, opacity: 0.9, cssClass: "band", tooltip: band.name)
            lower = upper
        }
        // Listed top down as the bands stack bottom up, so the legend reads in the figure's order.
        Legend(entries: bands.indices.reversed().map { Legend.Entry(name: bands[$0].name, swatch: .fill(Colormap.fill($0))) })
            .draw(&svg, x: width - right + 14, y: top)
        AxesFrame.draw(&svg, x: x, y: y, xLabel: logX ? "checkpoint step (log scale)" : "checkpoint step", yLabel: "share of mass", width: width, height: height, bottom: bottom, left: left)
        return svg.render()
    }
}

/// The frame, ticks and labels of an x/y plot.
enum AxesFrame {
    static func draw(_ svg: inout SVG, x: Axis.Scale, y: Axis.Scale, xLabel: String, yLabel: String, width: Double, height: Double, bottom: Double, left: Double) {
        let x0 = x.from, x1 = x.to, y0 = y.from, y1 = y.to
        svg.line(x1: x0, y1: y0, x2: x1, y2: y0)
        svg.line(x1: x0, y1: y0, x2: x0, y2: y1)
        for tick in x.ticks() {
            let px = x(tick)
            guard px >= x0 - 0.5 && px <= x1 + 0.5 else { continue }
            svg.line(x1: px, y1: y0, x2: px, y2: y0 + 4)
            svg.text(Axis.label(tick), x: px, y: y0 + 16, size: 10, anchor: .middle)
        }
        for tick in y.ticks() {
            let py = y(tick)
            svg.line(x1: x0 - 4, y1: py, x2: x0, y2: py)
            svg.line(x1: x0, y1: py, x2: x1, y2: py, stroke: "#e6e6e6", width: 0.5)
            svg.text(Axis.label(tick), x: x0 - 7, y: py + 3.5, size: 10, anchor: .end)
        }
        svg.text(xLabel, x: (x0 + x1) / 2, y: height - 10, size: 11, anchor: .middle)
        svg.text(yLabel, x: 14, y: (y0 + y1) / 2, size: 11, anchor: .middle, rotate: -90)
    }
}
