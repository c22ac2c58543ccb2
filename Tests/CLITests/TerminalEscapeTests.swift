import Foundation
import XCTest

/// Stored names reach standard error with their control characters made visible, the way the
/// table format shows them: a name cannot clear the screen or recolour the terminal.
final class TerminalEscapeTests: XCTestCase {
    private static let escape = "\u{1B}"

    func testNamesInIngestSummariesAndClosestHintsAreEscaped() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let run = "red\u{1B}[31mrun\u{07}"
        let label = "L0H0\u{1B}[2J"
        let csv = folder.path("h.csv")
        try "checkpoint_step,coefficient,component,layer,kind,value\n1,0,\"\(label)\",0,attn_head,1.5\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let ingest = try CLI.run(["ingest", csv, "--run", run, "--metric", "m\u{1B}]0;title\u{07}", "--db", db])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        XCTAssertFalse(ingest.stderr.contains(Self.escape), ingest.stderr)
        XCTAssertTrue(ingest.stderr.hasPrefix("red\\u{1b}[31mrun\\u{7}/default/m\\u{1b}]0;title\\u{7}: 1 values"), ingest.stderr)

        let closestRun = try CLI.run(["capacity", "--run", "redrun", "--db", db])
        XCTAssertEqual(closestRun.status, 3)
        XCTAssertEqual(closestRun.stderr, "attrdb: no run named 'redrun'; closest: 'red\\u{1b}[31mrun\\u{7}'\n")

        let closestComponent = try CLI.run(["profile", "--run", run, "--component", "L0H1\u{1B}[0m", "--db", db])
        XCTAssertEqual(closestComponent.status, 3)
        XCTAssertEqual(closestComponent.stderr, "attrdb: no component 'L0H1\\u{1b}[0m'; closest: 'L0H0\\u{1b}[2J'\n")

        let closestMetric = try CLI.run(["capacity", "--run", run, "--metric", "n", "--db", db])
        XCTAssertEqual(closestMetric.status, 3)
        XCTAssertFalse(closestMetric.stderr.contains(Self.escape), closestMetric.stderr)
        XCTAssertTrue(closestMetric.stderr.contains("closest: 'm\\u{1b}]0;title\\u{7}'"), closestMetric.stderr)
    }
}
