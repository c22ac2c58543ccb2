import AttrDB
import XCTest

final class ProfileSummaryTests: XCTestCase {
    func testZeroOnTheGrid() throws {
        let summary = try ProfileSummary(coefficients: [-2, -1, 0, 1, 2], values: [-1, -1, 0, 1, 1])
        // Central difference over the neighbours of 0: (1 − (−1)) / (1 − (−1)).
        XCTAssertEqual(summary.slopeAtZero, 1)
        XCTAssertEqual(summary.minimum, -1)
        XCTAssertEqual(summary.maximum, 1)
        XCTAssertEqual(summary.range, 2)
        XCTAssertEqual(summary.saturation, .init(negative: -1, positive: 1))
        XCTAssertEqual(summary.saturation.earliest, 1, "a tie in |c| goes to the positive side")
    }

    func testZeroBetweenGridPoints() throws {
        // A symmetric grid without 0, as linspace(−10, 10, 128) is: the segment bracketing 0.
        let c = [-3.0, -1, 1, 3]
        let summary = try ProfileSummary(coefficients: c, values: [0, 1, 5, 6])
        XCTAssertEqual(summary.slopeAtZero, 2)  // (5 − 1) / 2
    }

    func testZeroOutsideTheGrid() throws {
        let above = try ProfileSummary(coefficients: [1, 2, 4], values: [0, 3, 4])
        XCTAssertEqual(above.slopeAtZero, 3)  // the first segment
        let below = try ProfileSummary(coefficients: [-4, -2, -1], values: [0, 3, 4])
        XCTAssertEqual(below.slopeAtZero, 1)  // the last segment
        let edge = try ProfileSummary(coefficients: [0, 2], values: [1, 5])
        XCTAssertEqual(edge.slopeAtZero, 2)
        let single = try ProfileSummary(coefficients: [0], values: [3])
        XCTAssertNil(single.slopeAtZero)
    }

    func testSaturationBand() throws {
        // Range 100, band 5. Right end 100: 96 is within 5 of it (from c = 3 on), 90 is not.
        // Left end 0: the profile leaves the band at c = −2 (value 6), so it saturates at c = −3.
        let c = [-4.0, -3, -2, -1, 0, 1, 2, 3, 4]
        let y = [0.0, 4, 6, 20, 50, 80, 90, 96, 100]
        let summary = try ProfileSummary(coefficients: c, values: y)
        XCTAssertEqual(summary.saturation.positive, 3)
        XCTAssertEqual(summary.saturation.negative, -3)
        XCTAssertEqual(summary.saturation.earliest, 3)
        let tighter = try ProfileSummary(coefficients: c, values: y, tolerance: 0.03)
        XCTAssertNil(tighter.saturation.positive, "only the end itself within 3: still moving")
        XCTAssertNil(tighter.saturation.negative)
    }

    func testSaturationThatReturnsIntoTheBandCounts() throws {
        // Leaves the band at c = 2 (value 10 vs end 0, band 0.5) and settles from c = 3.
        let summary = try ProfileSummary(coefficients: [0, 1, 2, 3, 4], values: [0, 0, 10, 0, 0])
        XCTAssertEqual(summary.saturation.positive, 3)
        XCTAssertNil(summary.saturation.negative, "the centre is the first point: no negative side")
    }

    func testFlatSideSaturatesAtTheCentre() throws {
        let summary = try ProfileSummary(coefficients: [-2, -1, 0, 1, 2], values: [0, 0, 0, 0, 10])
        XCTAssertEqual(summary.saturation.negative, 0)
        XCTAssertNil(summary.saturation.positive)
        XCTAssertEqual(summary.saturation.earliest, 0)
    }

    func testConstantProfileNeverSaturates() throws {
        let summary = try ProfileSummary(coefficients: [-1, 0, 1], values: [2, 2, 2])
        XCTAssertEqual(summary.range, 0)
        XCTAssertEqual(summary.slopeAtZero, 0)
        XCTAssertNil(summary.saturation.earliest)
    }

    func testRefusesBadGrids() {
        XCTAssertThrowsError(try ProfileSummary(coefficients: [0, 0], values: [1, 2]))
        XCTAssertThrowsError(try ProfileSummary(coefficients: [1, 0], values: [1, 2]))
        XCTAssertThrowsError(try ProfileSummary(coefficients: [0, 1], values: [1]))
        XCTAssertThrowsError(try ProfileSummary(coefficients: [], values: []))
        XCTAssertThrowsError(try ProfileSummary(coefficients: [0, 1], values: [1, .nan]))
    }
}
