import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import AttrDB

/// The report tells the story: capacity on the loss curves' step axis, readable profiles with hundreds
/// of components, one look per series, full legends, titles that say what is drawn.
final class ReportStoryTests: XCTestCase {
    /// An SVG element: its name, attributes, the text inside it, and the classes of the groups around it.
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
        var groups: [[String: String]]
    }

    /// Every element of `svg`, in document order.
    private func elements(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> [Element] {
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [Element] = []
            var open: [Int] = []
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                let groups = open.map { elements[$0] }.filter { $0.name == "g" }.map(\.attributes)
                elements.append(Element(name: name, attributes: attributes, groups: groups))
                open.append(elements.count - 1)
            }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { open.removeLast() }
            func parser(_ parser: XMLParser, foundCharacters string: String) {
                for index in open { elements[index].text += string }
            }
        }
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "not XML: \(parser.parserError.map { "\($0)" } ?? "")", file: file, line: line)
        return collector.elements
    }

    /// The `<svg>` documents inside a report page.
    private func figures(_ html: String) -> [String] {
        html.components(separatedBy: "<svg ").dropFirst().map { "<svg " + $0.components(separatedBy: "</svg>")[0] + "</svg>" }
    }

    /// The (colour, dash) of each drawn series; a test fails when two of one plot (or one panel of a
    /// timeline, where test_loss and test_acc share a colour on purpose) match.
    private func assertEverySeriesLooksDifferent(_ svg: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let series = elements(svg).filter { $0.name == "path" && $0.attributes["class"] == "series" }
        let byPlot = Dictionary(grouping: series) { path in path.groups.first { $0["class"] == "panel" }?["data-panel"] ?? "the plot" }
        for (plot, paths) in byPlot {
            let looks = paths.map { "\($0.attributes["stroke"] ?? "") \($0.attributes["stroke-dasharray"] ?? "solid")" }
            XCTAssertEqual(Set(looks).count, looks.count, "\(what) \(plot): two series look alike: \(looks)", file: file, line: line)
        }
    }

    /// A store with one run of `count` components over 3 checkpoints and 5 coefficients; component i's
    /// values grow with i, so the largest by mass are the last; component 5 holds most of step 0's mass,
    /// so it crosses the turnover cut-off. Those two have hostile names.
    private func wideRun(_ count: Int) throws -> IngestFixture {
        let fixture = try IngestFixture()
        var csv = "checkpoint_step,coefficient,component,layer,kind,value\n"
        let names = (0..<count).map { i in i == 5 ? "<script>alert(1)</script>" : i == count - 1 ? "L0N\(i) \"&'<b>" : "L0N\(i)" }
        for step in [0, 100, 200] {
            for coefficient in [-2.0, -1.0, 0.0, 1.0, 2.0] {
                for (i, name) in names.enumerated() {
                    let value = Double(i + 1) * (coefficient + 3) * (step == 0 && i == 5 ? 400 : 1)
                    csv += "\(step),\(coefficient),\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\",0,neuron,\(value)\n"
                }
            }
        }
        try fixture.ingest(try fixture.file("wide.csv", csv), run: "wide", metric: "logit_diff")
        return fixture
    }

    func testCapacityAndLossCurvesShareOneStepAxisWithTheAccuracyJumpMarked() throws {
        let example = try ExampleStore()
        let html = try Report.page(store: example.store, run: "modadd")
        let training = try XCTUnwrap(figures(html).first)
        let parsed = elements(training)
        let panels = parsed.filter { $0.name == "g" && $0.attributes["class"] == "panel" }
        XCTAssertEqual(panels.map { $0.attributes["data-kind"] ?? "" }, ["heatmap", "stacked", "lines", "lines", "lines"])
        for key in ["data-x-from", "data-x-to", "data-step-low", "data-step-high", "data-log-x"] {
            XCTAssertEqual(Set(panels.map { $0.attributes[key] ?? "" }).count, 1, "\(key) differs between panels")
        }
        XCTAssertEqual(panels[0].attributes["data-step-low"], "0")
        XCTAssertEqual(panels[0].attributes["data-step-high"], "4000")
        let legend = parsed.filter { $0.name == "g" && $0.attributes["class"] == "legend-entry" }.map { $0.attributes["data-name"] ?? "" }
        for name in ["test_loss", "train_loss", "test_acc", "train_acc", "layer 0", "layer 1"] { XCTAssertTrue(legend.contains(name), name) }
        let titles = parsed.filter { $0.name == "text" }.map(\.text)
        XCTAssertTrue(titles.contains("Loss (log scale)") && titles.contains("Accuracy"), "\(titles)")
        XCTAssertTrue(titles.contains("test_acc 0.44 → 0.99 between steps 1464 and 1882 (dashed line)"), "\(titles)")
        // The marker sits at step 1882 on the shared log(1 + step) axis.
        let from = try XCTUnwrap(Double(panels[0].attributes["data-x-from"] ?? "")), to = try XCTUnwrap(Double(panels[0].attributes["data-x-to"] ?? ""))
        let expected = from + log10(1883) / log10(4001) * (to - from)
        let marker = try XCTUnwrap(parsed.first { $0.name == "line" && $0.attributes["stroke"] == Timeline.markerColor })
        XCTAssertEqual(Double(marker.attributes["x1"] ?? "") ?? 0, expected, accuracy: 0.01)
        // Each heatmap column is centred on its step: the last checkpoint's cells end at the axis's end.
        let cells = parsed.filter { $0.name == "rect" && $0.groups.contains { $0["data-kind"] == "heatmap" } && $0.text.contains(", step ") }
        XCTAssertEqual(cells.count, 4 * 33)
        XCTAssertTrue(cells.contains { $0.text.hasPrefix("layer 1, step 1882: ") })
    }

    /// Accuracies span 0 to 1 whatever their values, so a jump reads at its true size; losses get powers of ten.
    func testAccuracyAxisIsZeroToOneAndLossAxisPowersOfTen() {
        let figure = Timeline(title: "t", steps: [0, 10, 20], panels: [
            .lines(title: "Accuracy", yLabel: "accuracy", series: [("test_acc", [(0, 0.4), (10, 0.5), (20, 0.6)])], y: .unit),
            .lines(title: "Loss", yLabel: "loss", series: [("test_loss", [(0, 3), (10, 0.02), (20, 0.00004)])], y: .log),
        ])
        let texts = elements(figure.svg()).filter { $0.name == "text" }
        func ticks(_ panel: String) -> [String] { texts.filter { $0.groups.contains { $0["data-panel"] == panel } && $0.attributes["text-anchor"] == "end" }.map(\.text) }
        XCTAssertEqual(ticks("0").first, "0")
        XCTAssertEqual(ticks("0").last, "1")
        XCTAssertEqual(ticks("1"), ["1e-5", "1e-3", "0.1", "10"])
    }

    /// One checkpoint's shares fill the axis (a band through one x would draw nothing); a profile of
    /// one coefficient is a dot.
    func testOneCheckpointAndOneCoefficientStillDraw() {
        let figure = Timeline(title: "t", steps: [5], panels: [.stacked(title: "s", bands: [("layer 0", [1])])]).svg()
        let band = elements(figure).first { $0.name == "path" && $0.attributes["class"] == "band" }
        let xs = Set((band?.attributes["d"] ?? "").split(separator: " ").map { String($0.drop { !$0.isNumber }.prefix { $0 != "," }) }.filter { !$0.isEmpty })
        XCTAssertEqual(xs, ["78", SVG.number(1000 - Timeline.right)], "the band spans the axis")
        let plot = LinePlot(title: "t", xLabel: "x", yLabel: "y", series: [LinePlot.Series(name: "a", points: [(0, 1)], style: Colormap.overflow)]).svg()
        XCTAssertEqual(elements(plot).filter { $0.name == "circle" }.count, 1)
    }

    /// `plot training --checkpoint A:B` draws every panel over A..B only.
    func testTrainingPlotCoversTheSelectedSteps() throws {
        let example = try ExampleStore()
        let svg = try Plots.svg(.training, store: example.store, resolved: try example.resolved(QuerySelection(checkpoints: .range(100, 2000))),
                                components: [], k: 3, seed: 0)
        let panels = elements(svg).filter { $0.attributes["class"] == "panel" }
        XCTAssertEqual(panels.count, 5)
        XCTAssertEqual(Set(panels.map { "\($0.attributes["data-step-low"] ?? "") \($0.attributes["data-step-high"] ?? "")" }), ["119 1882"])
    }

    func testPlotsAreSizedToThePage() throws {
        let example = try ExampleStore()
        let html = try Report.page(store: example.store, run: "modadd")
        XCTAssertTrue(html.contains("figure svg { width: 100%; height: auto;"))
        XCTAssertTrue(html.contains("max-width: 1200px"))
        for figure in figures(html) {
            let root = try XCTUnwrap(elements(figure).first)
            XCTAssertEqual(root.attributes["viewBox"]?.split(separator: " ")[2], "1000", "drawn at the page's width, not 600 px")
        }
    }

    func testNoTwoSeriesOfAPlotLookAlike() throws {
        let example = try ExampleStore()
        for (index, figure) in figures(try Report.page(store: example.store, run: "modadd", k: 4)).enumerated() {
            assertEverySeriesLooksDifferent(figure, "report figure \(index)")
        }
        for kind in Plots.Kind.allCases {
            let resolved = try example.resolved(QuerySelection(checkpoints: Plots.defaultCheckpoints(kind)))
            assertEverySeriesLooksDifferent(try Plots.svg(kind, store: example.store, resolved: resolved, components: [], k: 4, seed: 0, top: 13), "\(kind)")
        }
        // Asked for more than there are looks, the profile plot stops at the last distinct one.
        let fixture = try wideRun(300)
        let wide = try ResolvedSelection(scan: ScanSelection(store: fixture.store, run: "wide"), selection: QuerySelection(checkpoints: .last))
        let svg = try Plots.svg(.profile, store: fixture.store, resolved: wide, components: [], k: 12, seed: 0, top: 1000)
        XCTAssertEqual(elements(svg).filter { $0.attributes["class"] == "series" }.count, Colormap.distinctStyles)
        assertEverySeriesLooksDifferent(svg, "300 profiles, top 1000")
        assertEverySeriesLooksDifferent(try Plots.svg(.clusters, store: fixture.store, resolved: wide, components: [], k: 12, seed: 0), "12 clusters")
    }

    func testLegendEntriesAreTheSeriesNamesInFull() {
        let long = "0_mlp_out, embed, pos_embed, L0H0, L0H1, L0H2, L0H3, L1H0, L1H1 and a name with no break at all: " + String(repeating: "x", count: 70)
        let names = ["L0H0", "embed", long, "<script>alert('x')</script> & \"q\""]
        let plot = LinePlot(title: "t", xLabel: "x", yLabel: "y", series: names.enumerated().map { index, name in
            LinePlot.Series(name: name, points: [(0, Double(index)), (1, 2)], style: Colormap.lineStyle(index) ?? Colormap.overflow)
        })
        let parsed = elements(plot.svg())
        let entries = parsed.filter { $0.name == "g" && $0.attributes["class"] == "legend-entry" }
        XCTAssertEqual(entries.map { $0.attributes["data-name"] ?? "" }, names)
        XCTAssertEqual(entries.map { $0.text.trimmingCharacters(in: .newlines) }, names, "the drawn lines of each entry join to the whole name")
        XCTAssertGreaterThan(parsed.filter { $0.name == "tspan" }.count, names.count, "the long name wraps")
        XCTAssertFalse(plot.svg().contains("…"), "nothing is cut")
        XCTAssertEqual(Set(SVG.wrap(long, columns: 30).map(\.count)).max() ?? 99, 30)
        XCTAssertEqual(SVG.wrap(long, columns: 30).joined(), long)
    }

    func testTitlesNameRunMetricAndCheckpoint() throws {
        let example = try ExampleStore()
        func title(_ kind: Plots.Kind) throws -> String {
            let resolved = try example.resolved(QuerySelection(checkpoints: Plots.defaultCheckpoints(kind)))
            return elements(try Plots.svg(kind, store: example.store, resolved: resolved, components: [], k: 3, seed: 0)).first { $0.name == "title" }?.text ?? ""
        }
        XCTAssertEqual(try title(.capacity), "Capacity by layer — modadd, logit_diff, steps 0–4000 (33 checkpoints)")
        XCTAssertEqual(try title(.profile), "Profiles — modadd, logit_diff, step 4000: top 12 of 13 by Σ|value|")
        XCTAssertTrue(try title(.clusters).hasPrefix("Profiles by cluster — modadd, logit_diff, step 4000: 3 clusters"))
        let html = try Report.page(store: example.store, run: "modadd")
        XCTAssertTrue(html.contains("<h2>Top components at step 4000, coefficient -0.0787 (nearest 0)</h2>"))
        XCTAssertTrue(html.contains("<h2>Profiles at step 4000</h2>"))
    }

    func testHundredsOfComponentsDrawTheTopNAndABand() throws {
        let fixture = try wideRun(300)
        let html = try Report.page(store: fixture.store, run: "wide", topProfiles: 12)
        let profiles = try XCTUnwrap(figures(html).first { $0.contains("<title>Profiles — wide") })
        let parsed = elements(profiles)
        let series = parsed.filter { $0.name == "path" && $0.attributes["class"] == "series" }
        XCTAssertEqual(series.map(\.text), ["L0N299 \"&'<b>"] + (288..<299).reversed().map { "L0N\($0)" }, "the 12 largest by mass, largest first")
        XCTAssertEqual(parsed.filter { $0.name == "path" && $0.attributes["class"] == "band" }.count, 1)
        let legend = parsed.filter { $0.attributes["class"] == "legend-entry" }.map { $0.attributes["data-name"] ?? "" }
        XCTAssertEqual(legend.last, "the other 288 (min–max)")
        XCTAssertTrue(parsed.first { $0.name == "title" }?.text.hasSuffix("top 12 of 300 by Σ|value|") ?? false)
        XCTAssertEqual(elements(Plots.profiles(Profiles(rows: []), run: "r", metric: "m").svg()).filter { $0.attributes["class"] == "series" }.count, 0)
    }

    func testHostileNamesAreEscapedEverywhere() throws {
        let fixture = try wideRun(300)
        let html = try Report.page(store: fixture.store, run: "wide")
        XCTAssertFalse(html.contains("<script>alert"), "a stored name never becomes markup")
        XCTAssertFalse(html.contains("<b>"))
        let script = "&lt;script&gt;alert(1)&lt;/script&gt;", bold = "L0N299 &quot;&amp;&#39;&lt;b&gt;"
        let turnover = try XCTUnwrap(html.components(separatedBy: "<h2>Turnover by step</h2>").last)
        XCTAssertTrue(turnover.contains("<td>\(script)</td>"), "the per-step lists name it, escaped")
        let strip = try XCTUnwrap(figures(html).first { $0.contains("at some checkpoint") })
        XCTAssertTrue(elements(strip).contains { $0.name == "text" && $0.text == "<script>alert(1)</script>" }, "a row of the strip, as text")
        let profiles = try XCTUnwrap(figures(html).first { $0.contains("<title>Profiles — wide") })
        XCTAssertTrue(elements(profiles).contains { $0.attributes["data-name"] == "L0N299 \"&'<b>" }, "a legend entry, as text")
        XCTAssertTrue(html.contains("<td>\(bold)</td>"), "the top components table")
        for figure in figures(html) {
            let parsed = elements(figure)
            XCTAssertFalse(parsed.contains { $0.name == "script" || $0.name == "b" })
        }
        let page = ReportPage(title: "t", sections: [.lists(title: "<i>", headers: [("a<", "m\"")], rows: [["<script>"]], note: "&")]).html()
        XCTAssertTrue(page.contains("<th title=\"m&quot;\">a&lt;</th>") && page.contains("<td>&lt;script&gt;</td>") && page.contains("<h2>&lt;i&gt;</h2>"), page)
    }

    func testConfigIsAKeyValueTableAndTheScanIsNamedOnce() throws {
        let example = try ExampleStore()
        let html = try Report.page(store: example.store, run: "modadd")
        let config = try XCTUnwrap(html.components(separatedBy: "<h2>Config</h2>").last)
        XCTAssertTrue(config.contains("<td>training.lr</td><td>0.001</td>"), config)
        XCTAssertFalse(html.contains(">config.training.lr<"))
        XCTAssertEqual(html.components(separatedBy: "<td>scan</td>").count - 1, 1, "scan once")
        XCTAssertTrue(html.contains("<p class=\"subtitle\">model 2L-128d-4h"))
    }

    func testTurnoverIsAStripAndPerStepLists() throws {
        let example = try ExampleStore()
        let html = try Report.page(store: example.store, run: "modadd", cutoff: 0.05)
        let strip = try XCTUnwrap(figures(html).first { $0.contains("reaches 0.05 at some checkpoint") })
        let parsed = elements(strip)
        let rows = Set(parsed.filter { $0.name == "rect" && $0.text.contains(", step ") }.map { String($0.text.prefix { $0 != "," }) }.filter { !$0.isEmpty })
        XCTAssertTrue(rows.isSuperset(of: ["1_mlp_out", "0_mlp_out", "L0H0", "pos_embed"]), "\(rows)")
        XCTAssertFalse(html.contains("Turnover events"), "no table of raw crossings")
        let lists = try XCTUnwrap(html.components(separatedBy: "<h2>Turnover by step</h2>").last?.components(separatedBy: "</table>").first)
        XCTAssertTrue(lists.contains("<th title=\"components whose share rose from below 0.05 to at or above it\">entered</th>"))
        XCTAssertEqual(lists.components(separatedBy: "<tr>").count - 2, Set(Turnover.events(try ComponentMasses(try example.resolved()), cutoff: 0.05).rows.map(\.step)).count)
    }
}
