import Foundation
import XCTest

/// A selection that cannot select — reversed, empty, not a finite number — is a usage error (64)
/// that says why, never a header over no rows (or rows of NaN shares) with exit 0.
final class SelectionErrorTests: XCTestCase {
    func testSelectionsThatCannotSelectAreUsageErrors() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder, run: "m")
        let html = folder.path("r.html")
        let cases: [([String], String)] = [
            (["capacity", "--checkpoint", "200:100"], "--checkpoint '200:100': the range is reversed (200 > 100); write the lower step first: 100:200"),
            (["capacity", "--coef", "5:3"], "--coef '5:3': the range is reversed (5 > 3); write the lower value first: 3:5"),
            (["top", "--coef", "-1:-2"], "--coef '-1:-2': the range is reversed (-1 > -2); write the lower value first: -2:-1"),
            (["capacity", "--checkpoint", "every:0"], "--checkpoint 'every:0': every:N takes a whole number N ≥ 1"),
            (["capacity", "--checkpoint", "every:-2"], "--checkpoint 'every:-2': every:N takes a whole number N ≥ 1"),
            (["capacity", "--checkpoint", "101:102"], "--checkpoint 101:102 selects no stored checkpoint of run 'm' (33 stored, steps 0 to 4000; closest: 92, 119)"),
            (["capacity", "--checkpoint", "5000:6000"], "--checkpoint 5000:6000 selects no stored checkpoint of run 'm' (33 stored, steps 0 to 4000; closest: 4000)"),
            (["concentration", "--checkpoint", ":-1"], "--checkpoint :-1 selects no stored checkpoint of run 'm' (33 stored, steps 0 to 4000; closest: 0)"),
            (["capacity", "--coef", "0.01:0.05"], "--coef 0.01:0.05 selects no coefficient of run 'm' (128 on the grid, -10.0 to 10.0; closest: -0.07874015748031482, 0.07874015748031482)"),
            (["capacity", "--coef", "nan"], "--coef 'nan': nan is not a finite number"),
            (["capacity", "--coef", "inf"], "--coef 'inf': inf is not a finite number"),
            (["capacity", "--coef", "nan:1"], "--coef 'nan:1': nan is not a finite number"),
            (["capacity", "--coef", "-inf:0"], "--coef '-inf:0': -inf is not a finite number (leave a side empty for an open range, e.g. :0)"),
            (["capacity", "--coef", "1e400"], "--coef '1e400': 1e400 is not a finite number"),
            (["capacity", "--layer", "9"], "--layer 9: no component of run 'm' has layer 9 (layers: -1, 0, 1, 2)"),
            (["capacity", "--layer", "0", "--layer", "7"], "--layer 7: no component of run 'm' has layer 7 (layers: -1, 0, 1, 2)"),
            (["turnover", "--cutoff", "0.1", "--kind", "neuron"], "--kind neuron: no component of run 'm' is of kind neuron (kinds: embed, pos_embed, attn_head, mlp, bias)"),
            (["capacity", "--layer", "2", "--kind", "attn_head"], "--layer 2 --kind attn_head: no component of run 'm' has both"),
            (["turnover", "--cutoff", "0.05", "--checkpoint", "last"], "turnover compares consecutive checkpoints, and the selection takes 1 of the 33 stored in run 'm': select two or more (all, A:B or every:N)"),
            (["clusters", "-k", "1000"], "checkpoint 4000 has 13 components to cluster (after --min-mass), fewer than k = 1000; choose k ≤ 13"),
            (["report", "-k", "0", "-o", html], "-k takes a positive number"),
            (["report", "--cutoff", "1.5", "-o", html], "--cutoff takes a share between 0 and 1"),
            (["export", "losses", "--checkpoint", "200:100"], "--checkpoint '200:100': the range is reversed"),
            (["export", "values", "--coef", "3:2"], "--coef '3:2': the range is reversed"),
            (["export", "values", "--checkpoint", "101:102"], "--checkpoint 101:102 selects no stored checkpoint"),
            (["export", "losses", "--checkpoint", "101:102"], "--checkpoint 101:102 selects no stored checkpoint"),
            (["plot", "norms", "--checkpoint", "101:102", "-o", folder.path("n.svg")], "--checkpoint 101:102 selects no stored checkpoint"),
            (["norms", "--checkpoint", "every:0"], "--checkpoint 'every:0': every:N takes a whole number N ≥ 1"),
            (["norms", "--checkpoint", "101:102"], "--checkpoint 101:102 selects no stored checkpoint"),
        ]
        for (command, reason) in cases {
            let format = ["report", "plot"].contains(command[0]) ? [] : ["--format", "csv"]
            let result = try CLI.run(command + ["--run", "m", "--db", db] + format)
            XCTAssertEqual(result.status, 64, "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(reason), "\(command): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(command)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: html))
    }

    /// A value far outside the grid takes the grid's nearest end, not the far one.
    func testAFarCoefficientTakesTheNearestEndOfTheGrid() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder, run: "m")
        for (typed, selected) in [("1e20", "10.0"), ("-1e20", "-10.0"), ("1e300", "10.0"), ("11", "10.0"), ("-0.0787", "-0.07874015748031482")] {
            let result = try CLI.run(["top", "-k", "1", "--coef", typed, "--run", "m", "--db", db, "--format", "csv", "--no-headers"])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout.split(separator: ",").dropFirst().first.map(String.init), selected, "--coef \(typed): \(result.stdout)")
        }
    }
}
