import Foundation
import XCTest

/// `capacity --by layer|kind` over a `--coef` range, from the per-(layer, coefficient) sums, prints
/// what the value scan (`ATTRDB_MASSES_FROM=values`) prints, to 1e-12 relative, for every mass mode,
/// in the long and the wide form; a range between grid points fails as it does from the values.
final class LayerSumsCommandTests: XCTestCase {
    /// The CSV's cells, numbers parsed where they parse.
    private func cells(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    private func assertSame(_ a: String, _ b: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let x = cells(a), y = cells(b)
        XCTAssertEqual(x.count, y.count, what, file: file, line: line)
        XCTAssertGreaterThan(x.count, 1, what, file: file, line: line)
        for (r, s) in zip(x, y) {
            XCTAssertEqual(r.count, s.count, what, file: file, line: line)
            for (u, v) in zip(r, s) {
                if let p = Double(u), let q = Double(v), u.contains(".") || v.contains(".") {
                    XCTAssertLessThanOrEqual(abs(p - q), 1e-12 * max(abs(p), abs(q)), "\(what): \(u) vs \(v)", file: file, line: line)
                } else {
                    XCTAssertEqual(u, v, what, file: file, line: line)
                }
            }
        }
    }

    func testCoefRangesAnswerAsTheValueScanDoes() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let values = ["ATTRDB_MASSES_FROM": "values"]
        for coef in ["--coef=-1:1", "--coef=0", "--coef=-10:10", "--coef=-3:-2.5"] {
            for by in ["layer", "kind"] {
                for mode in [[], ["--signed"], ["--squared"]] {
                    for wide in [[], ["--wide"]] {
                        let command = ["capacity", "--db", db, "--run", "modadd", coef, "--by", by, "--format", "csv"] + mode + wide
                        let fast = try CLI.run(command), slow = try CLI.run(command, environment: values)
                        XCTAssertEqual(fast.status, 0, fast.stderr)
                        XCTAssertEqual(slow.status, 0, slow.stderr)
                        assertSame(fast.stdout, slow.stdout, command.joined(separator: " "))
                    }
                }
            }
        }
        // A filter that keeps whole layers (answered from their sums), and one that keeps part of one.
        for filter in [["--layer", "1"], ["--component", "L0H1", "--component", "L1H0"]] {
            let command = ["capacity", "--db", db, "--run", "modadd", "--coef=-2:1", "--by", "layer", "--format", "csv"] + filter
            let fast = try CLI.run(command), slow = try CLI.run(command, environment: values)
            XCTAssertEqual(fast.status, 0, fast.stderr)
            assertSame(fast.stdout, slow.stdout, command.joined(separator: " "))
        }
        // Between two grid points: nothing is selected, the same error either way.
        let command = ["capacity", "--db", db, "--run", "modadd", "--coef=0.01:0.02", "--by", "layer"]
        let fast = try CLI.run(command), slow = try CLI.run(command, environment: values)
        XCTAssertNotEqual(fast.status, 0)
        XCTAssertEqual(fast.status, slow.status)
        XCTAssertEqual(fast.stderr, slow.stderr)
        XCTAssertTrue(fast.stderr.contains("selects no coefficient"), fast.stderr)
    }
}
