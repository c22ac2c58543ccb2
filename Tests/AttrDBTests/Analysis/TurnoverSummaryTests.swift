import XCTest
@testable import AttrDB

/// `turnover --summary` reads only the first and last selected checkpoints: its answer must be
/// the one the masses of every selected checkpoint give.
final class TurnoverSummaryTests: XCTestCase {
    func testTheSummaryFromTheEndpointsEqualsTheOneFromEveryCheckpoint() throws {
        let example = try ExampleStore()
        let selections: [QuerySelection] = [QuerySelection(), QuerySelection(checkpoints: .every(4)), QuerySelection(checkpoints: .range(100, 3000)),
                                            QuerySelection(coefficients: .range(-1, 1))]
        var comparedChanges = 0
        for selection in selections {
            let resolved = try example.resolved(selection)
            for cutoff in [0.01, 0.05, 0.2] {
                let everyCheckpoint = Turnover.summary(try ComponentMasses(resolved), cutoff: cutoff)
                let endpoints = try Turnover.summary(resolved, cutoff: cutoff)
                XCTAssertEqual(endpoints.rows, everyCheckpoint.rows, "\(selection.checkpoints) cutoff \(cutoff)")
                comparedChanges += everyCheckpoint.rows.map { $0.pricedOut.count + $0.entered.count }.reduce(0, +)
            }
        }
        // The comparisons mean something only if components did cross between first and last.
        XCTAssertGreaterThan(comparedChanges, 0)
    }

    func testEndpointsAreTheFirstAndLastSelectedCheckpoints() throws {
        let example = try ExampleStore()
        let every = try example.resolved(QuerySelection(checkpoints: .every(5)))
        XCTAssertEqual(every.endpoints().checkpoints, [every.checkpoints[0], every.checkpoints[every.checkpoints.count - 1]])
        XCTAssertEqual(every.endpoints().coefficients, every.coefficients)
        XCTAssertEqual(every.endpoints().components, every.components)
        let one = try example.resolved(QuerySelection(checkpoints: .last))
        XCTAssertEqual(one.endpoints().checkpoints, one.checkpoints)
    }
}
