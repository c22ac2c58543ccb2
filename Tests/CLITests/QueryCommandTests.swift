import Foundation
import XCTest

final class QueryCommandTests: XCTestCase {
    func testEveryQueryCommandPrintsItsColumns() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let cases: [([String], String)] = [
            (["capacity"], "checkpoint_step,layer,mass,share"),
            (["capacity", "--by", "kind"], "checkpoint_step,kind,mass,share"),
            (["capacity", "--by", "component"], "checkpoint_step,component,layer,kind,mass,share"),
            (["capacity", "--wide"], "checkpoint_step,embed,layer 0,layer 1,bias"),
            (["top", "-k", "3"], "checkpoint_step,coefficient,rank,component,layer,kind,value,share,rank_change"),
            (["profile", "--component", "L0H0"], "checkpoint_step,component,coefficient,value"),
            (["profile", "--component", "L0H0", "--summary"], "checkpoint_step,component,slope_at_0,min,max,range,saturation_negative,saturation_positive,saturation"),
            (["clusters", "-k", "3"], "checkpoint_step,cluster,size,component,layer,kind,mass"),
            (["clusters", "-k", "3", "--centroids"], "checkpoint_step,cluster,size,coefficient,centroid"),
            (["turnover", "--cutoff", "0.05"], "checkpoint_step,previous_step,component,layer,kind,event,share_before,share_after"),
            (["concentration", "--top", "5"], "checkpoint_step,entropy,effective_components,gini,top_5_share"),
            (["norms"], "checkpoint_step,growth_pct_per_layer"),
            (["norms", "--wov"], "checkpoint_step,layer,head,frobenius_norm,growth_pct_per_layer"),
        ]
        for (command, header) in cases {
            let result = try CLI.run(command + ["--run", "modadd", "--db", db, "--format", "csv"])
            XCTAssertEqual(result.status, 0, "\(command): \(result.stderr)")
            XCTAssertEqual(result.stdout.split(separator: "\n").first.map(String.init), header, "\(command)")
            XCTAssertGreaterThan(result.stdout.split(separator: "\n").count, 1, "\(command) printed no rows")
        }
        let compare = try CLI.run(["compare", "--run", "modadd", "--run", "modadd", "--db", db, "--format", "csv", "--checkpoint", "last"])
        XCTAssertEqual(compare.stdout, """
            checkpoint_step_a,checkpoint_step_b,layer,share_a,share_b,difference
            4000,4000,-1,0.08037549027360141,0.08037549027360141,0.0
            4000,4000,0,0.3226183082552086,0.3226183082552086,0.0
            4000,4000,1,0.5731716428251711,0.5731716428251711,0.0
            4000,4000,2,0.023834558646018866,0.023834558646018866,0.0

            """)
        // compare's shares are capacity's: the layer's mass / the total, the same Doubles.
        let capacity = try CLI.run(["capacity", "--run", "modadd", "--db", db, "--format", "csv", "--checkpoint", "last"])
        XCTAssertTrue(capacity.stdout.contains("\n4000,1,") && capacity.stdout.contains(",0.5731716428251711\n"), capacity.stdout)
        let twoRuns = try CLI.run(["capacity", "--run", "modadd", "--run", "modadd", "--checkpoint", "last", "--db", db, "--format", "csv"])
        XCTAssertTrue(twoRuns.stdout.hasPrefix("run,checkpoint_step,layer,mass,share\nmodadd,4000,-1,"), twoRuns.stdout)
    }

    func testUnknownNamesListTheClosest() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let cases: [([String], String)] = [
            (["capacity", "--run", "modad"], "attrdb: no run named 'modad'; closest: 'modadd'\n"),
            (["capacity", "--run", "modadd", "--scan", "defualt"], "attrdb: no scan 'defualt'; closest: 'default'\n"),
            (["capacity", "--run", "modadd", "--metric", "logit_dif"], "attrdb: no metric 'logit_dif'; closest: 'logit_diff'\n"),
            (["profile", "--run", "modadd", "--component", "L0H9"], "attrdb: no component 'L0H9'; closest: 'L0H0', 'L0H1', 'L0H2'\n"),
            (["capacity", "--run", "modadd", "--component", "L0H9"], "attrdb: no component 'L0H9'; closest: 'L0H0', 'L0H1', 'L0H2'\n"),
            (["export", "values", "--run", "modadd", "--component", "L0H9"], "attrdb: no component 'L0H9'; closest: 'L0H0', 'L0H1', 'L0H2'\n"),
            (["top", "--run", "modadd", "--checkpoint", "4001"], "attrdb: no checkpoint '4001'; closest: '4000', '3111', '2420'\n"),
        ]
        for (command, message) in cases {
            let result = try CLI.run(command + ["--db", db])
            XCTAssertEqual(result.status, 3, "\(command)")
            XCTAssertEqual(result.stderr, message)
        }
    }

    func testSQLRefusesWritesAndLeavesTheStoreUnchanged() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        for statement in ["INSERT INTO metric (name) VALUES ('x')", "UPDATE run SET name = 'x'", "DELETE FROM attribution",
                          "DROP TABLE run", "ATTACH '\(folder.path("other.db"))' AS other", "PRAGMA user_version = 7",
                          "PRAGMA journal_mode = WAL", "CREATE TABLE t (x)", "WITH x AS (SELECT 1) DELETE FROM run"] {
            let result = try CLI.run(["sql", statement, "--db", db])
            XCTAssertNotEqual(result.status, 0, statement)
            XCTAssertTrue(result.stderr.contains("refused") || result.stderr.contains("readonly"), "\(statement): \(result.stderr)")
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("other.db")))
        let read = try CLI.run(["sql", "SELECT count(*) AS n, sum(f32_len(matrix)) AS v FROM attribution", "--db", db, "--format", "json"])
        XCTAssertEqual(read.stdout, "[\n{\"n\":33,\"v\":54912}\n]\n", read.stderr)
        let view = try CLI.run(["sql", "SELECT value FROM attribution_value WHERE checkpoint_step = 0 AND component = 'L0H0' ORDER BY coefficient LIMIT 1", "--db", db, "--format", "csv", "--no-headers"])
        XCTAssertEqual(Float(view.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), Float("0.0566799641"))
    }
}
