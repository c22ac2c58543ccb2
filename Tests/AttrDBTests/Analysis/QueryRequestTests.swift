import XCTest
@testable import AttrDB

/// ``QueryRequest``: the commands' defaults, which the command line and `attrdb serve` share.
final class QueryRequestTests: XCTestCase {
    func testEachCommandsDefaultCheckpointsAndCoefficients() {
        let cases: [(QueryRequest, CheckpointSelection, CoefficientSelection)] = [
            (.capacity(mode: .absolute, by: .layer, wide: false), .all, .all),
            (.top(k: 10), .last, .nearest(0)),
            (.profile(summary: false), .last, .all),
            (.clusters(k: 4, method: .kmeans, distance: .euclidean, seed: 0, minMass: 0, centroids: false), .last, .all),
            (.turnover(cutoff: 0.05, summary: false), .all, .all),
            (.concentration(top: 10), .all, .all),
            (.norms(wide: false, wov: false), .all, .all),
            (.compare(what: .capacity, alignment: .exact, k: 10), .all, .all),
            (.compare(what: .top, alignment: .exact, k: 10), .last, .nearest(0)),
        ]
        for (request, checkpoints, coefficients) in cases {
            XCTAssertEqual(request.defaultCheckpoints, checkpoints, "\(request)")
            XCTAssertEqual(request.defaultCoefficients, coefficients, "\(request)")
        }
    }

    func testCompareOfOneRunIsASelectionErrorNotACrash() throws {
        let fixture = try IngestFixture()
        try fixture.ingest(try fixture.file("a.csv", tinyCSV()), run: "r")
        let request = QueryRequest.compare(what: .capacity, alignment: .exact, k: 10)
        XCTAssertThrowsError(try request.tables(QuerySelection(runs: ["r"]), in: fixture.store)) { error in
            XCTAssertTrue(error is SelectionError, "\(error)")
        }
    }
}
