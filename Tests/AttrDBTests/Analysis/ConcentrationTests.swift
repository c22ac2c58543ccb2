import AttrDB
import Foundation
import XCTest

final class ConcentrationTests: XCTestCase {
    func testHandComputedCase() throws {
        let c = try Concentration(masses: [3, 1, 0, 0])
        XCTAssertEqual(c.shares, [0.75, 0.25, 0, 0])
        // −(0.75 ln 0.75 + 0.25 ln 0.25), the zero shares adding nothing.
        XCTAssertEqual(c.entropy, -(0.75 * log(0.75) + 0.25 * log(0.25)), accuracy: 1e-15)
        XCTAssertEqual(c.entropy, 0.5623351446188083, accuracy: 1e-15)
        XCTAssertEqual(c.effectiveNumber, exp(c.entropy), accuracy: 1e-15)
        // Sorted [0, 0, 1, 3], n = 4: (−3·0 − 1·0 + 1·1 + 3·3) / (4 · 4) = 10/16.
        XCTAssertEqual(c.gini, 0.625, accuracy: 1e-15)
        XCTAssertEqual(c.topShare(1), 0.75)
        XCTAssertEqual(c.topShare(2), 1)
        XCTAssertEqual(c.topShare(10), 1)
        XCTAssertEqual(c.topShare(0), 0)
    }

    func testEqualMassesAreUnconcentrated() throws {
        let c = try Concentration(masses: Array(repeating: 2.5, count: 8))
        XCTAssertEqual(c.entropy, log(8), accuracy: 1e-14)
        XCTAssertEqual(c.effectiveNumber, 8, accuracy: 1e-12)
        XCTAssertEqual(c.gini, 0, accuracy: 1e-15)
        XCTAssertEqual(c.topShare(3), 3.0 / 8, accuracy: 1e-15)
    }

    func testOneComponentHoldingEverything() throws {
        let c = try Concentration(masses: [0, 0, 7, 0, 0])
        XCTAssertEqual(c.entropy, 0)
        XCTAssertEqual(c.effectiveNumber, 1)
        // The maximum for n = 5: (n − 1)/n.
        XCTAssertEqual(c.gini, 0.8, accuracy: 1e-15)
    }

    func testGiniOfThreeUnequalMasses() throws {
        // Sorted [1, 2, 3], n = 3, Σ = 6: (−2·1 + 0·2 + 2·3) / 18 = 4/18.
        XCTAssertEqual(try Concentration.gini(of: [3, 1, 2]), 4.0 / 18, accuracy: 1e-15)
        // Scale-free.
        XCTAssertEqual(try Concentration.gini(of: [30, 10, 20]), 4.0 / 18, accuracy: 1e-15)
    }

    func testRefusesNegativeNonFiniteAndZeroMasses() {
        XCTAssertThrowsError(try Concentration(masses: [1, -1]))
        XCTAssertThrowsError(try Concentration(masses: [1, .nan]))
        XCTAssertThrowsError(try Concentration(masses: [0, 0]))
        XCTAssertThrowsError(try Concentration(masses: []))
        XCTAssertThrowsError(try Concentration.gini(of: [1, .infinity]))
    }

    /// Masses per component at each checkpoint (Σ over coefficients of |value|) of the real data,
    /// against the reference answers shipped with it, to 1e-5 relative.
    func testRealDataAgreesWithShippedOracle() throws {
        let masses = try ModAddData.profiles().map { checkpoint in
            checkpoint.map { profile in profile.reduce(0) { $0 + abs($1) } }
        }
        let oracle = try ModAddData.csv("oracle_concentration.csv")
        XCTAssertEqual(oracle.count, masses.count)
        var worst = 0.0
        for (t, row) in oracle.enumerated() {
            let c = try Concentration(masses: masses[t])
            for (actual, key) in [(c.entropy, "entropy"), (c.effectiveNumber, "effective_components"), (c.gini, "gini")] {
                let expected = try XCTUnwrap(row[key].flatMap(Double.init))
                assertRelativelyClose(actual, expected, 1e-5, "checkpoint \(t) \(key)")
                worst = max(worst, abs(actual - expected) / abs(expected))
            }
        }
        XCTAssertLessThan(worst, 1e-9, "the oracle has 12 significant digits; the agreement should be near that")
    }

    /// The same, against numpy computing from the .npy directly, with top-k shares too.
    func testRealDataAgreesWithNumpy() throws {
        let folder = try ModAddData.folder()
        let script = """
        import json, sys
        import numpy as np
        a = np.load(NPY).astype(np.float64)
        out = []
        for masses in np.abs(a).sum(axis=1):
            s = masses / masses.sum()
            nz = s[s > 0]
            h = float(-(nz * np.log(nz)).sum())
            x = np.sort(s); n = len(x); i = np.arange(1, n + 1)
            g = float(((2 * i - n - 1) * x).sum() / (n * x.sum()))
            top = np.sort(s)[::-1]
            out.append(dict(entropy=h, effective=float(np.exp(h)), gini=g,
                            top1=float(top[:1].sum()), top3=float(top[:3].sum())))
        print(json.dumps(out))
        """
        let oracle = try XCTUnwrap(
            NumpyOracle.run(script.replacingOccurrences(
                of: "NPY", with: pythonString(folder.appendingPathComponent("attributions.npy").path)))
                as? [[String: Double]])
        let masses = try ModAddData.profiles().map { checkpoint in
            checkpoint.map { profile in profile.reduce(0) { $0 + abs($1) } }
        }
        XCTAssertEqual(oracle.count, masses.count)
        for (t, expected) in oracle.enumerated() {
            let c = try Concentration(masses: masses[t])
            let actual = ["entropy": c.entropy, "effective": c.effectiveNumber, "gini": c.gini,
                          "top1": c.topShare(1), "top3": c.topShare(3)]
            for (key, value) in actual {
                assertRelativelyClose(value, try XCTUnwrap(expected[key]), 1e-12, "checkpoint \(t) \(key)")
            }
        }
    }
}
