/// A plot's legend: one entry per drawn series, band or note, each name in full (wrapped onto
/// several lines when long, never cut), in a column at the plot's right.
struct Legend {
    enum Swatch {
        case line(Colormap.LineStyle)
        case fill(String)
        /// The grey min–max band of the series not drawn one by one.
        case band
        /// Text only ("+12 more").
        case none
    }

    struct Entry {
        var name: String
        var swatch: Swatch
    }

    var entries: [Entry] = []

    static let lineHeight = 12.0
    static let width = 200.0
    /// Characters per line that fit the column at font size 10.
    static let columns = 30

    /// The height the legend takes, to size the plot to it.
    var height: Double {
        entries.reduce(0) { $0 + Double(SVG.wrap($1.name, columns: Legend.columns).count) * Legend.lineHeight + 4 }
    }

    /// Draws the entries from (`x`, `y`) down; each is a `legend-entry` group whose `data-name` is the full name.
    func draw(_ svg: inout SVG, x: Double, y: Double) {
        var top = y
        for entry in entries {
            svg.beginGroup("legend-entry", data: [("name", entry.name)])
            let middle = top + 5
            switch entry.swatch {
            case .line(let style): svg.line(x1: x, y1: middle, x2: x + 18, y2: middle, stroke: style.color, width: 2.2, dash: style.dash)
            case .fill(let color): svg.rect(x: x + 4, y: middle - 5, width: 10, height: 10, fill: color)
            case .band: svg.rect(x: x, y: middle - 4, width: 18, height: 8, fill: LinePlot.bandColor)
            case .none: break
            }
            let lines = svg.wrappedText(entry.name, x: x + 23, y: middle + 3.5, columns: Legend.columns, lineHeight: Legend.lineHeight)
            svg.endGroup()
            top += Double(lines) * Legend.lineHeight + 4
        }
    }
}
