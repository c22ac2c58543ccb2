import AttrDB
import Foundation
import XCTest

final class LeastSquaresTests: XCTestCase {
    func testExactLine() throws {
        let fit = try LinearFit(x: [0, 1, 2], y: [1, 3, 5])
        XCTAssertEqual(fit.slope, 2, accuracy: 1e-15)
        XCTAssertEqual(fit.intercept, 1, accuracy: 1e-15)
        XCTAssertEqual(fit(10), 21, accuracy: 1e-13)
    }

    func testHandComputedNoisyFit() throws {
        // x̄ = 2.5, ȳ = 3.25; Σ(x − x̄)(y − ȳ) = 7.5, Σ(x − x̄)² = 5: slope 1.5, intercept 3.25 − 3.75 = −0.5.
        let fit = try LinearFit(x: [1, 2, 3, 4], y: [1, 3, 3, 6])
        XCTAssertEqual(fit.slope, 1.5, accuracy: 1e-15)
        XCTAssertEqual(fit.intercept, -0.5, accuracy: 1e-15)
    }

    func testFarFromOriginKeepsPrecision() throws {
        let x = [1e9, 1e9 + 1, 1e9 + 2, 1e9 + 3]
        let fit = try LinearFit(x: x, y: x.map { 0.5 * ($0 - 1e9) + 7 })
        XCTAssertEqual(fit.slope, 0.5, accuracy: 1e-12)
    }

    func testRefusesDegenerateInput() {
        XCTAssertThrowsError(try LinearFit(x: [1, 1, 1], y: [1, 2, 3]))
        XCTAssertThrowsError(try LinearFit(x: [1], y: [1]))
        XCTAssertThrowsError(try LinearFit(x: [], y: []))
        XCTAssertThrowsError(try LinearFit(x: [1, 2], y: [1]))
        XCTAssertThrowsError(try LinearFit(x: [1, 2], y: [1, .nan]))
        XCTAssertThrowsError(try residualNormGrowthPercentPerLayer(layers: [0, 1], norms: [1, 0]))
    }

    func testGrowthPercent() throws {
        XCTAssertEqual(growthPercent(logSlope: log(1.05)), 5, accuracy: 1e-12)
        XCTAssertEqual(growthPercent(logSlope: 0), 0)
        XCTAssertEqual(growthPercent(logSlope: 1e-12), 1e-10, accuracy: 1e-22)
        XCTAssertEqual(try residualNormGrowthPercentPerLayer(layers: [0, 1, 2], norms: [1, 1.1, 1.21]), 10, accuracy: 1e-12)
    }

    /// Growth of the residual norm per layer over the `resid_pre` rows of the real data, against the
    /// reference answers shipped with it, to 1e-5 relative.
    func testRealNormGrowthAgreesWithShippedOracle() throws {
        var layers: [String: [Double]] = [:]
        var norms: [String: [Double]] = [:]
        for row in try ModAddData.csv("resid_norms.csv") where row["hook"] == "resid_pre" {
            let step = try XCTUnwrap(row["checkpoint_step"])
            layers[step, default: []].append(try XCTUnwrap(row["layer"].flatMap(Double.init)))
            norms[step, default: []].append(try XCTUnwrap(row["norm"].flatMap(Double.init)))
        }
        let oracle = try ModAddData.csv("oracle_norm_growth.csv")
        XCTAssertEqual(oracle.count, layers.count)
        for row in oracle {
            let step = try XCTUnwrap(row["checkpoint_step"])
            let expected = try XCTUnwrap(row["growth_pct_per_layer"].flatMap(Double.init))
            let actual = try residualNormGrowthPercentPerLayer(
                layers: try XCTUnwrap(layers[step]), norms: try XCTUnwrap(norms[step]))
            assertRelativelyClose(actual, expected, 1e-5, "checkpoint step \(step)")
        }
    }
}
