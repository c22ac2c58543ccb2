import XCTest
@testable import AttrDB

final class TopOracleTests: XCTestCase {
    func testTopMatchesNumpyOracleAtTwoCoefficients() throws {
        let example = try ExampleStore()
        let oracle = try ExampleStore.oracle("oracle_top.csv")
        for coefficient in Set(oracle.compactMap { $0["coefficient"] }).sorted() {
            let expected = oracle.filter { $0["coefficient"] == coefficient }
            let selection = QuerySelection(checkpoints: .last, coefficients: .nearest(Double(coefficient) ?? 0))
            let table = try TopComponents(try example.resolved(selection), k: 10)
            XCTAssertEqual(table.rows.count, expected.count)
            guard case .at(let ranked) = table.coefficient else { return XCTFail("one coefficient: \(table.coefficient)") }
            assertClose(ranked, Double(coefficient) ?? .nan, relative: 1e-12)
            for (row, want) in zip(table.rows, expected) {
                XCTAssertEqual(row.step, Int(want["checkpoint_step"] ?? "") ?? -1)
                XCTAssertEqual(row.coefficient, table.coefficient)
                XCTAssertEqual(row.rank, Int(want["rank"] ?? "") ?? -1)
                XCTAssertEqual(row.component.label, want["component"] ?? "")
                assertClose(row.value, Double(want["value"] ?? "") ?? .nan)
            }
        }
    }

    func testRankChangeComparesWithThePreviousCheckpoint() throws {
        let example = try ExampleStore()
        let steps = try example.resolved().steps
        let last = try TopComponents(try example.resolved(QuerySelection(checkpoints: .last, coefficients: .nearest(0))), k: 13)
        let previous = try TopComponents(try example.resolved(QuerySelection(checkpoints: .step(steps[steps.count - 2]), coefficients: .nearest(0))), k: 13)
        let previousRank = Dictionary(uniqueKeysWithValues: previous.rows.map { ($0.component.label, $0.rank) })
        for row in last.rows {
            let expected = (previousRank[row.component.label] ?? 0) - row.rank
            XCTAssertEqual(row.rankChange, expected, row.component.label)
        }
        let first = try TopComponents(try example.resolved(QuerySelection(checkpoints: .first)), k: 3)
        XCTAssertTrue(first.rows.allSatisfy { $0.rankChange == nil })
    }
}
