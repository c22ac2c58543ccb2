import AttrDB
import XCTest

final class AdjustedRandIndexTests: XCTestCase {
    func testHandComputedCases() throws {
        // Contingency [[2, 0, 0], [0, 1, 1]]: index 1, row pairs 2, column pairs 1, C(4, 2) = 6;
        // E = 2/6, max = 1.5: (1 − 1/3) / (1.5 − 1/3) = 4/7.
        XCTAssertEqual(try adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]), 4.0 / 7, accuracy: 1e-15)
        XCTAssertEqual(try adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]), 4.0 / 7, accuracy: 1e-15)
        // Contingency [[1, 1], [1, 1]]: index 0, E = 2·2/6, max 2: (0 − 2/3) / (2 − 2/3) = −0.5.
        XCTAssertEqual(try adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]), -0.5, accuracy: 1e-15)
    }

    func testLabelNamesDoNotMatter() throws {
        XCTAssertEqual(try adjustedRandIndex([0, 0, 1, 1, 2], [7, 7, -3, -3, 40]), 1)
    }

    func testTrivialPartitions() throws {
        XCTAssertEqual(try adjustedRandIndex([0, 0, 0], [1, 1, 1]), 1)
        XCTAssertEqual(try adjustedRandIndex([0, 1, 2], [2, 1, 0]), 1)
        XCTAssertEqual(try adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3]), 0)
        XCTAssertEqual(try adjustedRandIndex([], []), 1)
        XCTAssertEqual(try adjustedRandIndex([4], [9]), 1)
        XCTAssertThrowsError(try adjustedRandIndex([0, 1], [0]))
    }
}
