import XCTest

/// A run streamed from standard input is finished by `attrdb finish` or `ingest --complete`, and
/// `attrdb runs --tag` lists the runs that have every tag given.
final class RunStatusCommandTests: XCTestCase {
    private func record(_ step: Int, _ value: Double) -> String {
        #"{"checkpoint_step": \#(step), "coefficient": 0.0, "component": "L0H0", "value": \#(value)}"# + "\n"
    }

    private func status(_ run: String, _ db: String) throws -> String {
        let result = try CLI.run(["sql", "SELECT status FROM run WHERE name = '\(run)'", "--db", db, "--format", "csv", "--no-headers"])
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    func testFinishMarksAStreamedRunCompleteOnceAndRefusesAnUnknownRun() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", "-", "--run", "live", "--db", db], stdin: record(1, 0.5)).status, 0)
        XCTAssertEqual(try status("live", db), "incomplete\n")
        let finish = try CLI.run(["finish", "live", "--db", db])
        XCTAssertEqual(finish.status, 0, finish.stderr)
        XCTAssertEqual(try status("live", db), "complete\n")
        let again = try CLI.run(["finish", "live", "--db", db])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try status("live", db), "complete\n")
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let unknown = try CLI.run(["finish", "lve", "--db", db])
        XCTAssertEqual(unknown.status, 3)
        XCTAssertTrue(unknown.stderr.contains("'lve'") && unknown.stderr.contains("'live'"), unknown.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before, "the store is unchanged")
    }

    func testIngestCompleteFinishesAStreamAndAFurtherStreamReopensIt() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", "-", "--run", "live", "--db", db], stdin: record(1, 0.5)).status, 0)
        let last = try CLI.run(["ingest", "-", "--run", "live", "--complete", "--db", db], stdin: record(2, 0.25))
        XCTAssertEqual(last.status, 0, last.stderr)
        XCTAssertEqual(try status("live", db), "complete\n")
        XCTAssertEqual(try CLI.run(["ingest", "-", "--run", "live", "--db", db], stdin: record(3, 0.125)).status, 0)
        XCTAssertEqual(try status("live", db), "incomplete\n", "a stream without --complete may go on")
        // From a file the run is complete with or without the flag.
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "file", "--complete", "--db", db]).status, 0)
        XCTAssertEqual(try status("file", db), "complete\n")
    }

    func testRunsFiltersByEveryTagGiven() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        for (run, seed, sweep) in [("a", "0", "lr"), ("b", "1", "lr"), ("c", "0", "wd")] {
            XCTAssertEqual(try CLI.run(["ingest", "-", "--run", run, "--db", db], stdin: record(1, 0.5)).status, 0)
            XCTAssertEqual(try CLI.run(["tag", run, "seed=\(seed)", "sweep=\(sweep)", "--db", db]).status, 0)
        }
        func names(_ tags: [String]) throws -> String {
            let result = try CLI.run(["runs", "--db", db, "--format", "csv", "--no-headers"] + tags.flatMap { ["--tag", $0] })
            XCTAssertEqual(result.status, 0, result.stderr)
            return result.stdout.split(separator: "\n").map { String($0.prefix { $0 != "," }) }.joined(separator: " ")
        }
        XCTAssertEqual(try names([]), "a b c")
        XCTAssertEqual(try names(["seed=0"]), "a c")
        XCTAssertEqual(try names(["seed=0", "sweep=lr"]), "a")
        XCTAssertEqual(try names(["seed=2"]), "")
        XCTAssertEqual(try names(["sweep=lr=x"]), "", "the value is all after the first equals sign")
        let bad = try CLI.run(["runs", "--db", db, "--tag", "seed"])
        XCTAssertEqual(bad.status, 64)
        XCTAssertTrue(bad.stderr.contains("'seed' is not KEY=VALUE"), bad.stderr)
    }
}
