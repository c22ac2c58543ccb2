@testable import AttrDB
import Foundation
import XCTest

final class FoundationCommandTests: XCTestCase {
    private func storeWithRun(_ folder: TemporaryFolder, name: String = "modadd") throws -> String {
        let path = folder.path("s.sqlite")
        let store = try Store(path: path, access: .create)
        try store.connection.run("INSERT INTO run (name, model, task, created_at, status) VALUES (?, 'tiny-2l', 'modadd', '2026-11-25T00:00:00Z', 'complete')", [.text(name)])
        return path
    }

    func testInitCreatesAStoreAndRunsListsNothing() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("new.sqlite")
        let initResult = try CLI.run(["init", "--db", db])
        XCTAssertEqual(initResult.status, 0, initResult.stderr)
        XCTAssertTrue(initResult.stdout.contains("schema version \(Migration.latestVersion)"), initResult.stdout)
        let runs = try CLI.run(["--db", db, "runs", "--format", "csv"])
        XCTAssertEqual(runs.status, 0)
        XCTAssertEqual(runs.stdout, "name,model,task,checkpoints,components,values,created,status,tags\n")
    }

    func testDatabasePathComesFromEnvironmentThenDefault() throws {
        let folder = try TemporaryFolder()
        XCTAssertEqual(try CLI.run(["init"], environment: ["ATTRDB_DB": folder.path("env.sqlite")]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path("env.sqlite")))
        XCTAssertEqual(try CLI.run(["init"], in: folder.url).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path("attrdb.sqlite")))
    }

    func testRunsShowTagDeleteEndToEnd() throws {
        let folder = try TemporaryFolder()
        let db = try storeWithRun(folder)
        XCTAssertEqual(try CLI.run(["tag", "modadd", "seed=1", "lr=1e-3", "--db", db]).status, 0)
        let runs = try CLI.run(["runs", "--db", db, "--format", "jsonl"])
        XCTAssertEqual(runs.status, 0)
        XCTAssertEqual(runs.stdout, #"{"name":"modadd","model":"tiny-2l","task":"modadd","checkpoints":0,"components":0,"values":0,"created":"2026-11-25T00:00:00Z","status":"complete","tags":"lr=1e-3,seed=1"}"# + "\n")
        let show = try CLI.run(["show", "modadd", "--db", db, "--format", "csv"])
        XCTAssertEqual(show.status, 0)
        XCTAssertTrue(show.stdout.hasPrefix("field,value\nname,modadd\nmodel,tiny-2l\ntask,modadd\nstatus,complete\n"), show.stdout)
        XCTAssertEqual(try CLI.run(["tag", "modadd", "--remove", "seed", "--db", db]).status, 0)
        XCTAssertTrue(try CLI.run(["runs", "--db", db, "--format", "csv"]).stdout.hasSuffix(",complete,lr=1e-3\n"))
        let refused = try CLI.run(["delete", "modadd", "--db", db])
        XCTAssertNotEqual(refused.status, 0, "no terminal and no --yes: nothing is deleted")
        XCTAssertTrue(try CLI.run(["runs", "--db", db, "--format", "csv"]).stdout.contains("modadd"))
        let deleted = try CLI.run(["delete", "modadd", "--yes", "--db", db])
        XCTAssertEqual(deleted.status, 0, deleted.stderr)
        XCTAssertEqual(try CLI.run(["runs", "--db", db, "--format", "csv", "--no-headers"]).stdout, "")
    }

    func testEveryFormatIsAccepted() throws {
        let folder = try TemporaryFolder()
        let db = try storeWithRun(folder)
        for format in ["table", "csv", "tsv", "json", "jsonl", "markdown", "latex"] {
            let result = try CLI.run(["runs", "--db", db, "--format", format])
            XCTAssertEqual(result.status, 0, "\(format): \(result.stderr)")
            XCTAssertTrue(result.stdout.contains("modadd"), format)
        }
        XCTAssertEqual(try CLI.run(["runs", "--db", db, "--format", "xml"]).status, 64)
    }

    func testUnknownRunNamesTheClosest() throws {
        let folder = try TemporaryFolder()
        let db = try storeWithRun(folder)
        for command in [["show", "modad"], ["tag", "modad", "a=b"], ["delete", "modad", "--yes"]] {
            let before = try Data(contentsOf: URL(fileURLWithPath: db))
            let result = try CLI.run(command + ["--db", db])
            XCTAssertEqual(result.status, 3, command.joined(separator: " "))
            XCTAssertEqual(result.stderr, "attrdb: no run named 'modad'; closest: 'modadd'\n")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
        }
    }

    /// Each bad store path: a one-line error naming it, exit status 2, the file byte-for-byte unchanged.
    func testBadStorePaths() throws {
        let folder = try TemporaryFolder()
        let text = folder.path("notes.txt")
        try "just some notes\n".write(toFile: text, atomically: true, encoding: .utf8)
        let readOnly = try storeWithRun(folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: readOnly)
        let newer = folder.path("newer.sqlite")
        do {
            let store = try Store(path: newer, access: .create)
            try store.connection.execute("PRAGMA user_version = 99")
        }
        let cases: [(path: String, command: [String], message: String)] = [
            (text, ["runs"], "\(text): not a SQLite database"),
            (text, ["init"], "\(text): not a SQLite database"),
            (folder.url.path, ["runs"], "\(folder.url.path): is a directory"),
            (folder.path("missing/s.sqlite"), ["init"], "the folder \(folder.path("missing")) does not exist"),
            (folder.path("absent.sqlite"), ["runs"], "\(folder.path("absent.sqlite")): no attrdb store here"),
            (readOnly, ["tag", "modadd", "k=v"], "\(readOnly): the store is read-only"),
            (newer, ["runs"], "\(newer): made by a newer attrdb (schema version 99"),
            (newer, ["init"], "\(newer): made by a newer attrdb (schema version 99"),
        ]
        for (path, command, message) in cases {
            let before = try? Data(contentsOf: URL(fileURLWithPath: path))
            let result = try CLI.run(command + ["--db", path])
            XCTAssertEqual(result.status, 2, "\(command) on \(path): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("attrdb: ") && result.stderr.contains(message), result.stderr)
            XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "one line: \(result.stderr)")
            XCTAssertEqual(try? Data(contentsOf: URL(fileURLWithPath: path)), before, "\(path) changed")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path("absent.sqlite")), "a read must not create a store")
        // A read-only store can still be read.
        XCTAssertEqual(try CLI.run(["runs", "--db", readOnly]).status, 0)
    }

    func testHelpListsEveryCommandAndEachHasHelp() throws {
        let help = try CLI.run(["--help"])
        XCTAssertEqual(help.status, 0)
        for command in ["init", "runs", "show", "tag", "delete"] {
            XCTAssertTrue(help.stdout.contains("  \(command) "), command)
            let own = try CLI.run([command, "--help"])
            XCTAssertEqual(own.status, 0)
            XCTAssertTrue(own.stdout.contains("OVERVIEW:"), "\(command) has no abstract")
        }
    }
}
