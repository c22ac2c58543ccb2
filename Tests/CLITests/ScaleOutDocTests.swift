import Foundation
import XCTest

/// docs/scale-out.md's SQL, run by DuckDB over `export values --partition-by run,checkpoint_step`,
/// gives what `attrdb capacity` and `attrdb top` print (Tests/scaleout/check_queries.py reads the
/// SQL from the doc's blocks and compares; `make scale` runs the same check with Spark).
final class ScaleOutDocTests: XCTestCase {
    private static let checker = CLI.repositoryRoot.appendingPathComponent("Tests/scaleout/check_queries.py").path
    private static let doc = CLI.repositoryRoot.appendingPathComponent("docs/scale-out.md").path

    private func check(docs: [String] = [ScaleOutDocTests.doc]) throws -> CLI.Result {
        let result = try CLI.run([ScaleOutDocTests.checker, "--attrdb", CLI.binary.path, "--engine", "duckdb"] + docs.flatMap { ["--doc", $0] },
                                 executable: URL(fileURLWithPath: "/usr/bin/env"), prefix: [Python.command])
        if result.stderr.contains("No module named") { throw XCTSkip(result.stderr) }
        return result
    }

    func testTheDocsQueriesGiveAttrDBsNumbersInDuckDB() throws {
        let result = try check()
        XCTAssertEqual(result.status, 0, result.stderr)
        // The example (33 checkpoints × 5 layers) and the generated runs (6 × 5, 7 × 4): every row compared.
        for line in ["duckdb capacity: 191 rows equal to attrdb capacity (",
                     "duckdb capacity-coef: 191 rows equal to attrdb capacity --coef -1:1 (",
                     "duckdb top: 460 rows equal to attrdb top -k 10 --checkpoint all ("] {
            XCTAssertTrue(result.stdout.contains(line), result.stdout)
        }
    }

    /// The check can fail: the doc's rules changed one at a time (ties in |value| to the later
    /// component, the coefficient nearest 0 the upper of ±c, the range's upper end moved) are each caught.
    func testADriftedQueryInTheDocFails() throws {
        let text = try String(contentsOfFile: ScaleOutDocTests.doc, encoding: .utf8)
        let folder = try TemporaryFolder()
        let drifts = [
            ("ORDER BY abs(a.value) DESC, c.position)", "ORDER BY abs(a.value) DESC, c.position DESC)", "top: at {'run': '42', 'checkpoint_step': '0', 'rank': '2'} column component"),
            ("ORDER BY abs(coefficient), coefficient)", "ORDER BY abs(coefficient), coefficient DESC)", "top: at {'run': '42', 'checkpoint_step': '0', 'rank': '1'} column coefficient: attrdb '-0.25', query 0.25"),
            ("BETWEEN -1.0 AND 1.0", "BETWEEN -1.0 AND 0.99", "capacity-coef: at {'run': 'lr=3e-4/b', 'checkpoint_step': '0', 'layer': '-1'} column mass"),
        ]
        var docs: [String] = []
        for (i, (from, to, _)) in drifts.enumerated() {
            XCTAssertTrue(text.contains(from), from)
            docs.append(folder.path("drift\(i).md"))
            try text.replacingOccurrences(of: from, with: to).write(toFile: docs[i], atomically: true, encoding: .utf8)
        }
        // One run of the checker: the data is made once, each drifted doc checked against it.
        let result = try check(docs: docs)
        XCTAssertEqual(result.status, 1, result.stdout)
        XCTAssertTrue(result.stdout.contains("duckdb: 0 of 3 docs equal attrdb"), result.stdout)
        for (i, (_, to, message)) in drifts.enumerated() {
            let line = result.stderr.split(separator: "\n").first { $0.hasPrefix("drift\(i).md: duckdb: ") } ?? ""
            XCTAssertTrue(line.contains(message), to + "\n" + result.stderr)
        }
    }
}
