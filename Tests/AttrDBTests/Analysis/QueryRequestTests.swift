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

    /// `write(_:in:to:)` writes capacity and compare from their typed rows, the rest from their
    /// tables: every format's bytes are those of the tables ``tables(_:in:note:)`` answers, stacked
    /// as the command line stacks them (a `run` column for several runs; compare's one table as it is).
    func testWriteGivesTheBytesOfTheTablesInEveryTextFormat() throws {
        let fixture = try IngestFixture()
        try fixture.ingest(try fixture.file("a.csv", tinyCSV()), run: "r")
        try fixture.ingest(try fixture.file("b.csv", tinyCSV()), run: "s")
        let folder = try TemporaryFolder()
        let requests: [QueryRequest] = [
            .capacity(mode: .absolute, by: .layer, wide: false), .capacity(mode: .squared, by: .component, wide: false),
            .capacity(mode: .absolute, by: .kind, wide: true), .concentration(top: 2),
            .compare(what: .capacity, alignment: .exact, k: 3), .compare(what: .top, alignment: .nearest, k: 3),
        ]
        for request in requests {
            for runs in [["r"], ["r", "s"]] {
                if case .compare = request, runs.count != 2 { continue }
                let selection = QuerySelection(runs: runs, checkpoints: request.defaultCheckpoints, coefficients: request.defaultCoefficients)
                for format in [OutputFormat.csv, .tsv, .json, .jsonl, .markdown, .latex, .table] {
                    let expected = folder.path("expected"), written = folder.path("written")
                    let tables = try request.tables(selection, in: fixture.store)
                    if case .compare = request {
                        try TableOutput(format: format, path: expected, isTerminal: false).write(tables[0].table)
                    } else {
                        try TableOutput(format: format, path: expected, isTerminal: false).write(byRun: tables)
                    }
                    try request.write(selection, in: fixture.store, to: TableOutput(format: format, path: written, isTerminal: false))
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: written))
                    XCTAssertFalse(bytes.isEmpty)
                    XCTAssertEqual(bytes, try Data(contentsOf: URL(fileURLWithPath: expected)), "\(request) \(runs) \(format)")
                }
            }
        }
    }
}
