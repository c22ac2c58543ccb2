import XCTest
@testable import AttrDB

final class TopOracleTests: XCTestCase {
    func testTopMatchesNumpyOracleAtTwoCoefficients() throws {
        let example = try ExampleStore()
        let oracle = try ExampleStore.oracle("oracle_top.csv")
        for coefficient in Set(oracle.compactMap { $0["coefficient"] }).sorted() {
            let expected = oracle.filter { $0["coefficient"] == coefficient }
            let selection = QuerySelection(checkpoints: .last, coefficients: .nearest(Double(coefficient) ?? 0))
            let table = try TopComponents.table(try example.resolved(selection), k: 10)
            XCTAssertEqual(table.rows.count, expected.count)
            for (row, want) in zip(table.rows, expected) {
                XCTAssertEqual(row[0], .int(Int(want["checkpoint_step"] ?? "") ?? -1))
                assertClose(row[1].doubleValue ?? .nan, Double(coefficient) ?? .nan, relative: 1e-12)
                XCTAssertEqual(row[2], .int(Int(want["rank"] ?? "") ?? -1))
                XCTAssertEqual(row[3], .text(want["component"] ?? ""))
                assertClose(row[6].doubleValue ?? .nan, Double(want["value"] ?? "") ?? .nan)
            }
        }
    }

    func testRankChangeComparesWithThePreviousCheckpoint() throws {
        let example = try ExampleStore()
        let steps = try example.resolved().steps
        let last = try TopComponents.table(try example.resolved(QuerySelection(checkpoints: .last, coefficients: .nearest(0))), k: 13)
        let previous = try TopComponents.table(try example.resolved(QuerySelection(checkpoints: .step(steps[steps.count - 2]), coefficients: .nearest(0))), k: 13)
        let previousRank = Dictionary(uniqueKeysWithValues: previous.rows.map { ($0[3], $0[2].doubleValue ?? 0) })
        for row in last.rows {
            let expected = Int(previousRank[row[3]] ?? 0) - Int(row[2].doubleValue ?? 0)
            XCTAssertEqual(row[8], .int(expected), "\(row[3])")
        }
        let first = try TopComponents.table(try example.resolved(QuerySelection(checkpoints: .first)), k: 3)
        XCTAssertTrue(first.rows.allSatisfy { $0[8] == .null })
    }
}
