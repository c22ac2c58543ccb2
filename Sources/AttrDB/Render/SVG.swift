import Foundation

/// A small SVG 1.1 builder: elements appended in order, text and attributes escaped.
///
/// ```swift
/// var svg = SVG(width: 480, height: 320, title: "Capacity")
/// svg.rect(x: 10, y: 10, width: 20, height: 20, fill: "#440154")
/// let text = svg.render()
/// ```
public struct SVG {
    public let width: Double
    public let height: Double
    private var body: [String] = []
    private let title: String

    public init(width: Double, height: Double, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.2f", rounded)
    }

    /// Escapes text for XML content and attribute values.
    public static func escape(_ text: String) -> String { Escape.xml(text) }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil, tooltip: String? = nil) {
        let strokeText = stroke.map { " stroke=\"\($0)\" stroke-width=\"0.5\"" } ?? ""
        let tip = tooltip.map { "<title>\(SVG.escape($0))</title>" } ?? ""
        body.append("<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(y))\" width=\"\(SVG.number(max(0, width)))\" height=\"\(SVG.number(max(0, height)))\" fill=\"\(fill)\"\(strokeText)>\(tip)</rect>")
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#333", width: Double = 1, dash: String? = nil) {
        body.append("<line x1=\"\(SVG.number(x1))\" y1=\"\(SVG.number(y1))\" x2=\"\(SVG.number(x2))\" y2=\"\(SVG.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(SVG.number(width))\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>")
    }

    public enum Anchor: String { case start, middle, end }

    public mutating func text(_ content: String, x: Double, y: Double, size: Double = 11, anchor: Anchor = .start, weight: String? = nil, rotate: Double? = nil, fill: String = "#222") {
        let transform = rotate.map { " transform=\"rotate(\(SVG.number($0)) \(SVG.number(x)) \(SVG.number(y)))\"" } ?? ""
        body.append("<text x=\"\(SVG.number(x))\" y=\"\(SVG.number(y))\" font-size=\"\(SVG.number(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\"\(weight.map { " font-weight=\"\($0)\"" } ?? "")\(transform)>\(SVG.escape(content))</text>")
    }

    /// A polyline or closed polygon through `points`.
    public mutating func path(_ points: [(Double, Double)], stroke: String?, fill: String = "none", width: Double = 1.5, closed: Bool = false, opacity: Double? = nil,
                              dash: String? = nil, cssClass: String? = nil, tooltip: String? = nil) {
        guard let first = points.first else { return }
        var d = "M\(SVG.number(first.0)),\(SVG.number(first.1))"
        for point in points.dropFirst() { d += " L\(SVG.number(point.0)),\(SVG.number(point.1))" }
        if closed { d += " Z" }
        let attributes = (opacity.map { " opacity=\"\(SVG.number($0))\"" } ?? "") + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")
            + (cssClass.map { " class=\"\(SVG.escape($0))\"" } ?? "")
        let tip = tooltip.map { "<title>\(SVG.escape($0))</title>" } ?? ""
        body.append("<path d=\"\(d)\" fill=\"\(fill)\" stroke=\"\(stroke ?? "none")\" stroke-width=\"\(SVG.number(width))\"\(attributes) stroke-linejoin=\"round\">\(tip)</path>")
    }

    public mutating func raw(_ element: String) { body.append(element) }

    /// The elements drawn so far, to place inside another document (drawn before its size was known).
    public var elements: String { body.joined(separator: "\n") }

    /// Opens a `<g>` group with a class and `data-` attributes (values escaped); close it with ``endGroup()``.
    /// Groups name what a part of a figure is (a panel, a legend entry), for tests and stylesheets.
    public mutating func beginGroup(_ cssClass: String, data: [(String, String)] = []) {
        body.append("<g class=\"\(SVG.escape(cssClass))\"" + data.map { " data-\($0.0)=\"\(SVG.escape($0.1))\"" }.joined() + ">")
    }

    public mutating func endGroup() { body.append("</g>") }

    /// Text wrapped onto lines of at most `columns` characters, broken after commas or spaces where
    /// it can be (a long name with neither is cut into pieces, never shortened). Returns the lines' count.
    @discardableResult
    public mutating func wrappedText(_ content: String, x: Double, y: Double, columns: Int, size: Double = 10, lineHeight: Double = 12,
                                      fill: String = "#222", weight: String? = nil) -> Int {
        let lines = SVG.wrap(content, columns: columns)
        let spans = lines.enumerated().map { index, line in
            "<tspan x=\"\(SVG.number(x))\" dy=\"\(index == 0 ? "0" : SVG.number(lineHeight))\">\(SVG.escape(line))</tspan>"
        }.joined()
        body.append("<text x=\"\(SVG.number(x))\" y=\"\(SVG.number(y))\" font-size=\"\(SVG.number(size))\" fill=\"\(fill)\"\(weight.map { " font-weight=\"\($0)\"" } ?? "")>\(spans)</text>")
        return lines.count
    }

    /// `text` cut into lines of at most `columns` characters; joined again they give `text` back.
    public static func wrap(_ text: String, columns: Int) -> [String] {
        let columns = max(columns, 4)
        var lines: [String] = []
        var rest = Substring(text)
        while rest.count > columns {
            let window = rest.prefix(columns)
            // Break after the last comma or space in the window, else hard at the window's end.
            let cut = window.lastIndex { $0 == "," || $0 == " " }.map { rest.index(after: $0) } ?? window.endIndex
            lines.append(String(rest[..<cut]))
            rest = rest[cut...]
        }
        if !rest.isEmpty || lines.isEmpty { lines.append(String(rest)) }
        return lines
    }

    /// The document: an `<svg>` root with the SVG namespace, a viewBox, a title and the elements.
    public func render() -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(SVG.number(width))" height="\(SVG.number(height))" viewBox="0 0 \(SVG.number(width)) \(SVG.number(height))" font-family="Helvetica, Arial, sans-serif">
        <title>\(SVG.escape(title))</title>
        <rect x="0" y="0" width="\(SVG.number(width))" height="\(SVG.number(height))" fill="#ffffff"/>
        \(body.joined(separator: "\n"))
        </svg>

        """
    }
}
