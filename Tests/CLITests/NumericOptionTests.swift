import Foundation
import XCTest

/// Options that take numbers take negative numbers as typed (`--coef -0.5`, not only `--coef=-0.5`),
/// and refuse, with a usage error that says why, the negative values that mean nothing.
final class NumericOptionTests: XCTestCase {
    func testNegativeValuesAreTakenAsSeparateArguments() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder, run: "m")
        let pairs: [([String], [String])] = [
            (["top", "--coef", "-0.5"], ["top", "--coef=-0.5"]),
            (["capacity", "--coef", "-5:5"], ["capacity", "--coef=-5:5"]),
            (["capacity", "--coef", "-5:-1", "--by", "kind"], ["capacity", "--coef=-5:-1", "--by", "kind"]),
            (["capacity", "--layer", "-1"], ["capacity", "--layer=-1"]),
            (["profile", "--component", "L0H0", "--coef", "-3"], ["profile", "--component", "L0H0", "--coef=-3"]),
            (["clusters", "-k", "2", "--coef", "-10:-2"], ["clusters", "-k", "2", "--coef=-10:-2"]),
            (["export", "values", "--coef", "-1"], ["export", "values", "--coef=-1"]),
            (["export", "values", "--layer", "-1", "--coef", "-2:2"], ["export", "values", "--layer=-1", "--coef=-2:2"]),
            (["norms", "--checkpoint", "-5:100"], ["norms", "--checkpoint=-5:100"]),
        ]
        for (spaced, joined) in pairs {
            let a = try CLI.run(spaced + ["--run", "m", "--db", db, "--format", "csv"])
            let b = try CLI.run(joined + ["--run", "m", "--db", db, "--format", "csv"])
            XCTAssertEqual(a.status, 0, "\(spaced): \(a.stderr)")
            XCTAssertEqual(b.status, 0, "\(joined): \(b.stderr)")
            XCTAssertGreaterThan(a.stdout.split(separator: "\n").count, 1, "\(spaced)")
            XCTAssertEqual(a.stdout, b.stdout, "\(spaced)")
        }
        // A negative step is taken as a step (and is not stored), not as a missing value.
        let step = try CLI.run(["top", "--checkpoint", "-5", "--run", "m", "--db", db])
        XCTAssertEqual(step.status, 3, step.stderr)
        XCTAssertTrue(step.stderr.hasPrefix("attrdb: no checkpoint '-5'; closest: '0'"), step.stderr)
        // norms takes the same --checkpoint, applied to the checkpoints that have norms.
        let norms = try CLI.run(["norms", "--checkpoint", "-5:100", "--run", "m", "--db", db, "--format", "csv"])
        XCTAssertEqual(norms.status, 0, norms.stderr)
        XCTAssertTrue(norms.stdout.hasPrefix("checkpoint_step,growth_pct_per_layer\n0,"), norms.stdout)
    }

    func testNegativeValuesThatMeanNothingAreUsageErrorsThatSayWhy() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder, run: "m")
        let svg = folder.path("p.svg"), html = folder.path("r.html")
        let cases: [([String], String)] = [
            (["top", "-k", "-3"], "-k takes a positive number"),
            (["compare", "--run", "m", "-k", "-3", "--what", "top"], "-k takes a positive number"),
            (["clusters", "-k", "-2"], "-k takes a positive number"),
            (["clusters", "--seed", "-1"], "--seed takes a whole number from 0 to 18446744073709551615"),
            (["clusters", "--min-mass", "-0.5"], "--min-mass takes a mass of 0 or more"),
            (["concentration", "--top", "-5"], "--top takes a positive number"),
            (["turnover", "--cutoff", "-0.05"], "--cutoff takes a share between 0 and 1"),
            (["capacity", "--digits", "-3"], "--digits takes a number from 1 to 17"),
            (["export", "values", "--digits", "-2"], "--digits takes a number from 1 to 17"),
            (["norms", "--digits", "-2"], "--digits takes a number from 1 to 17"),
            (["plot", "clusters", "-k", "-1", "-o", svg], "-k takes a positive number"),
            (["plot", "clusters", "--seed", "-1", "-o", svg], "--seed takes a whole number from 0 to 18446744073709551615"),
            (["report", "-k", "-1", "-o", html], "-k takes a positive number"),
            (["report", "--cutoff", "-0.1", "-o", html], "--cutoff takes a share between 0 and 1"),
            (["report", "--top-profiles", "-2", "-o", html], "--top-profiles takes a positive number"),
            (["plot", "profile", "--top-profiles", "0", "-o", svg], "--top-profiles takes a positive number"),
        ]
        for (command, reason) in cases {
            let result = try CLI.run(command + ["--run", "m", "--db", db])
            XCTAssertEqual(result.status, 64, "\(command): \(result.stderr)")
            XCTAssertFalse(result.stderr.contains("Missing value"), "\(command): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(reason), "\(command): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(command)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: svg))
        XCTAssertFalse(FileManager.default.fileExists(atPath: html))
    }
}
