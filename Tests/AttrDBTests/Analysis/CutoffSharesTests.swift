import XCTest
@testable import AttrDB

/// ``CutoffShares`` compares masses with one threshold instead of dividing each: every answer must
/// be the one the divided share gives, most of all for masses a few ulps either side of
/// `cutoff × total`, where rounding the division decides.
final class CutoffSharesTests: XCTestCase {
    private func assertAgrees(_ masses: [Double], total: Double, cutoff: Double, file: StaticString = #filePath, line: UInt = #line) {
        masses.withUnsafeBufferPointer { buffer in
            let shares = CutoffShares(buffer, total: total, cutoff: cutoff)
            for p in masses.indices {
                let share = total != 0 ? masses[p] / total : 0
                XCTAssertEqual(shares.share(p).bitPattern, share.bitPattern, "share of \(masses[p]) / \(total)", file: file, line: line)
                XCTAssertEqual(shares.isAbove(p), share >= cutoff, "\(masses[p]) / \(total) >= \(cutoff)", file: file, line: line)
                XCTAssertEqual(shares.isBelow(p), share < cutoff, "\(masses[p]) / \(total) < \(cutoff)", file: file, line: line)
            }
        }
    }

    /// Masses `cutoff × total` and up to 6 ulps either side of it.
    private func near(_ cutoff: Double, _ total: Double) -> [Double] {
        var masses = [cutoff * total]
        for _ in 0..<6 { masses.append(masses.last!.nextUp); masses.insert(masses[0].nextDown, at: 0) }
        return masses
    }

    func testThresholdAnswersAsTheDividedShareNearTheCutoff() {
        var generator = SeededGenerator(seed: 7)
        var thresholds = 0, offByRounding = 0
        for _ in 0..<4000 {
            let total = Double.random(in: 1e-3...1e6, using: &generator) * (Bool.random(using: &generator) ? 1 : 1e-200)
            let cutoff = [0.05, 0.001, 1.0 / 3, 0.25, 1, Double.random(in: 0...1, using: &generator)][Int.random(in: 0..<6, using: &generator)]
            let masses = near(cutoff, total)
            assertAgrees(masses, total: total, cutoff: cutoff)
            if let threshold = CutoffShares.threshold(total: total, cutoff: cutoff) {
                thresholds += 1
                if threshold != cutoff * total { offByRounding += 1 }
            }
        }
        XCTAssertEqual(thresholds, 4000, "a threshold is found for every finite positive total")
        // The search must have mattered: cutoff × total is not always the least mass whose share reaches the cut-off.
        XCTAssertGreaterThan(offByRounding, 100)
    }

    func testEdges() {
        let special: [Double] = [0, -0.0, 1, 3, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -1]
        // A total of 0 makes every share 0; a cut-off of 0 is at or above by every finite share.
        assertAgrees([0, 0, 0], total: 0, cutoff: 0)
        assertAgrees([0, 0, 0], total: 0, cutoff: 0.25)
        assertAgrees([0, 0, -0.0], total: -0.0, cutoff: 0.25)
        for total in [4.0, .leastNormalMagnitude / 16, .greatestFiniteMagnitude, .infinity, .nan, -4, .leastNonzeroMagnitude] {
            for cutoff in [0, 0.25, 1, 1e-300] {
                assertAgrees(special + near(cutoff, total), total: total, cutoff: cutoff)
            }
        }
        // Exactly at the cut-off is at or above.
        [1.0, 3].withUnsafeBufferPointer { XCTAssertTrue(CutoffShares($0, total: 4, cutoff: 0.25).isAbove(0)) }
    }
}
