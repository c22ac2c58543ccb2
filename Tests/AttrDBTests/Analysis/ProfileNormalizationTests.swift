import AttrDB
import Foundation
import XCTest

final class ProfileNormalizationTests: XCTestCase {
    func testHandComputedCase() {
        // mean 2, population variance 2/3.
        let z = ZNormalizedProfile([1, 2, 3])
        XCTAssertFalse(z.isConstant)
        XCTAssertEqual(z.mean, 2)
        XCTAssertEqual(z.standardDeviation, (2.0 / 3).squareRoot(), accuracy: 1e-15)
        let expected = [-1, 0, 1].map { $0 / (2.0 / 3).squareRoot() }
        for (a, b) in zip(z.values, expected) { XCTAssertEqual(a, b, accuracy: 1e-15) }
    }

    func testConstantProfilesAreZerosAndFlagged() {
        // 0.1 three times: the floating-point mean is not exactly 0.1, which must not invent a shape.
        for profile in [[0.1, 0.1, 0.1], [0, 0, 0, 0], [-7], []] {
            let z = ZNormalizedProfile(profile)
            XCTAssertTrue(z.isConstant, "\(profile)")
            XCTAssertEqual(z.values, Array(repeating: 0, count: profile.count))
            XCTAssertEqual(z.standardDeviation, 0)
        }
    }

    func testNormalizedProfileHasMeanZeroAndUnitDeviation() {
        let z = ZNormalizedProfile([3, -1, 4, 1, -5, 9, 2, 6]).values
        XCTAssertEqual(z.reduce(0, +) / 8, 0, accuracy: 1e-15)
        XCTAssertEqual(z.reduce(0) { $0 + $1 * $1 } / 8, 1, accuracy: 1e-14)
    }

    func testCorrelationDistance() {
        XCTAssertEqual(correlationDistance([1, 2, 3], [10, 20, 30]), 0, accuracy: 1e-15)
        XCTAssertEqual(correlationDistance([1, 2, 3], [3, 2, 1]), 2, accuracy: 1e-15)
        // x = [1, 2, 3], y = [1, 3, 2]: r = 0.5.
        XCTAssertEqual(correlationDistance([1, 2, 3], [1, 3, 2]), 0.5, accuracy: 1e-15)
        XCTAssertEqual(correlationDistance([1, 1, 1], [1, 2, 3]), 1, "a constant profile has no shape")
        XCTAssertEqual(correlationDistance([5, 5], [5, 5]), 1)
    }

    /// Z-normalised profiles and correlation distances of the real final checkpoint, against numpy
    /// and scipy's `pdist(metric='correlation')`.
    func testRealProfilesAgreeWithNumpy() throws {
        let set = ProfileSet.finalCheckpoint
        let script = try set.pythonPrelude() + """
        from scipy.spatial.distance import pdist
        print(json.dumps(dict(z=Z.tolist(), correlation=pdist(P, 'correlation').tolist())))
        """
        let oracle = try XCTUnwrap(NumpyOracle.run(script) as? [String: Any])
        let (raw, normalized) = try set.profiles()
        let expected = try doubleRows(oracle["z"])
        XCTAssertEqual(expected.count, normalized.count)
        var worst = 0.0
        for (row, expectedRow) in zip(normalized, expected) {
            for (a, b) in zip(row, expectedRow) { worst = max(worst, abs(a - b)) }
        }
        XCTAssertLessThan(worst, 1e-12)

        let distances = try integersOrDoubles(oracle["correlation"])
        var index = 0
        var worstDistance = 0.0
        for i in 0..<raw.count {
            for j in (i + 1)..<raw.count {
                worstDistance = max(worstDistance, abs(correlationDistance(raw[i], raw[j]) - distances[index]))
                index += 1
            }
        }
        XCTAssertEqual(index, distances.count)
        XCTAssertLessThan(worstDistance, 1e-12)
    }

    private func integersOrDoubles(_ value: Any?) throws -> [Double] {
        let items = try XCTUnwrap(value as? [Any])
        return try items.map { try XCTUnwrap(($0 as? NSNumber)?.doubleValue) }
    }
}
