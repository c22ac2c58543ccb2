import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import AttrDB

final class RenderTests: XCTestCase {
    /// Parses `text` as XML; returns element names and all text content.
    private func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> (elements: [String], text: String, root: [String: String]) {
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [String] = []
            var text = ""
            var root: [String: String] = [:]
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if elements.isEmpty { root = attributes }
                elements.append(name)
            }
            func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        }
        let collector = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "not XML: \(parser.parserError.map { "\($0)" } ?? "")", file: file, line: line)
        return (collector.elements, collector.text, collector.root)
    }

    func testEveryPlotOfTheExampleIsValidSVG() throws {
        let example = try ExampleStore()
        for kind in Plots.Kind.allCases {
            let resolved = try example.resolved(QuerySelection(checkpoints: Plots.defaultCheckpoints(kind)))
            let svg = try Plots.svg(kind, store: example.store, resolved: resolved, components: [], k: 3, seed: 0)
            let parsed = parse(svg)
            XCTAssertEqual(parsed.elements.first, "svg", "\(kind)")
            XCTAssertEqual(parsed.root["xmlns"], "http://www.w3.org/2000/svg")
            XCTAssertNotNil(parsed.root["viewBox"])
            XCTAssertTrue(parsed.text.contains("modadd"), "\(kind) has its title")
        }
    }

    func testHeatmapHasACellPerLayerAndCheckpointInViridis() throws {
        let example = try ExampleStore()
        let heatmap = Plots.capacity(try ComponentMasses(try example.resolved()), run: "modadd", metric: "logit_diff")
        XCTAssertEqual(heatmap.rowLabels, ["embed", "layer 0", "layer 1", "bias"])
        let svg = heatmap.svg()
        let cells = svg.components(separatedBy: "<title>").count - 2  // one title per cell, plus the document's
        XCTAssertEqual(cells, 4 * 33)
        XCTAssertTrue(svg.contains(Colormap.sequential(1)) && svg.contains(Colormap.sequential(0)))
        XCTAssertTrue(parse(svg).text.contains("checkpoint step (log-spaced)"))
    }

    func testHostileLabelsAreEscaped() {
        let plot = LinePlot(title: "<script>alert('x')</script> & \"q\"", xLabel: "a<b", yLabel: "c&d",
                            series: [LinePlot.Series(name: "L0H0 </text><script>", points: [(0, 1), (1, 2)], style: Colormap.overflow)])
        let svg = plot.svg()
        XCTAssertFalse(svg.contains("<script>"))
        let parsed = parse(svg)
        XCTAssertTrue(parsed.text.contains("<script>alert('x')</script> & \"q\""))
        XCTAssertFalse(parsed.elements.contains("script"))
    }

    func testReportIsSelfContainedWithSortableTables() throws {
        let example = try ExampleStore()
        let html = try Report.page(store: example.store, run: "modadd")
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        for section in ["Training: capacity by layer over the loss and accuracy curves", "Shares of mass by layer", "Loss (log scale)", "Accuracy",
                        "Top components", "by cluster", "Turnover", "Who holds capacity", "Concentration", "Residual-norm growth", "Config"] {
            XCTAssertTrue(html.contains(section), section)
        }
        XCTAssertNil(html.range(of: #"(src|href)\s*=\s*["']?(https?:)?//"#, options: .regularExpression), "no network references")
        XCTAssertFalse(html.contains("<link"))
        XCTAssertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"), "the browser is told to load nothing")
        XCTAssertTrue(html.contains("table.sortable") && html.contains("addEventListener(\"click\""))
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 5)
    }

    /// Each table header carries its column's meaning, shown when the pointer rests on it.
    func testReportHeadersExplainTheirColumns() throws {
        let example = try ExampleStore()
        let html = try Report.page(store: example.store, run: "modadd")
        XCTAssertTrue(html.contains("<th title=\"rank at the previous stored checkpoint − rank now: positive means the component rose; empty at the first stored checkpoint (ranks)\">rank_change</th>"), html)
        XCTAssertTrue(html.contains("<th title=\"−Σ s·ln s over the components&#39; shares"), "entropy's meaning, escaped for an attribute")
        XCTAssertGreaterThan(html.components(separatedBy: "<th title=\"").count - 1, 20)
        XCTAssertFalse(html.contains("<th>"), "every header explained")
    }

    func testSparklineAndTerminalHeatmap() {
        XCTAssertEqual(TerminalPlot.sparkline([0, 1, 2, 3, 4, 5, 6, 7]), "▁▂▃▄▅▆▇█")
        XCTAssertEqual(TerminalPlot.sparkline([5, -5]), "█▁")
        XCTAssertEqual(TerminalPlot.sparkline(Array(repeating: 1, count: 200)).count, 64)
        let map = TerminalPlot.heatmap(rowLabels: ["a", "bb"], values: [[0, 1], [0.5, .nan]], columnLabels: ("0", "9"))
        XCTAssertEqual(map.split(separator: "\n").prefix(2).map(String.init), ["a  │ █│", "bb │▒?│"])
    }

    func testAxisTicksAndLogSpacing() {
        let ticks = Axis.ticks(0, 1, count: 5)
        XCTAssertEqual(ticks.count, 6)
        XCTAssertEqual(ticks.first, 0)
        XCTAssertEqual(ticks.last ?? 0, 1, accuracy: 1e-12)
        XCTAssertEqual(Axis.ticks(0, 100, count: 5), [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(Axis.ticks(-37, 112, count: 5), [0, 50, 100])
        XCTAssertTrue(Axis.isLogSpaced([0, 1, 2, 3, 5, 7, 10, 20, 50, 100, 300, 1000, 4000]))
        XCTAssertFalse(Axis.isLogSpaced(Array(stride(from: 0, through: 1000, by: 100))))
    }

    /// Terminal plots draw stored labels: their control characters are shown, not obeyed.
    func testTerminalPlotsEscapeLabels() {
        let profiles = Profiles(rows: [ProfileRow(step: 1, component: "L0H0\u{1B}[2J", coefficient: -1, value: 0.5),
                                       ProfileRow(step: 1, component: "L0H0\u{1B}[2J", coefficient: 1, value: 1.5)])
        let drawn = TerminalPlot.profiles(profiles)
        XCTAssertFalse(drawn.contains("\u{1B}"), drawn)
        XCTAssertTrue(drawn.hasPrefix("step 1  L0H0\\u{1b}[2J  "), drawn)
        let map = TerminalPlot.heatmap(rowLabels: ["\u{9B}31m"], values: [[0, 1]], columnLabels: ("0", "9"))
        XCTAssertFalse(map.unicodeScalars.contains { $0.value == 0x9B }, map)
        XCTAssertTrue(map.hasPrefix("\\u{9b}31m │"), map)
    }
}
