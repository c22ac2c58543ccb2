import Foundation
import XCTest

/// `attrdb serve`: the JSON API answers what the command line prints, errors with the matching
/// status, loopback by default, no path outside the assets, many requests at once, clean stop.
final class ServeCommandTests: XCTestCase {
    /// Each API request with the command-line arguments that must print the same bytes.
    static let cases: [(path: String, arguments: [String])] = [
        ("/api/runs", ["runs"]),
        ("/api/losses?run=modadd", ["export", "losses", "--run", "modadd"]),
        ("/api/capacity?run=modadd", ["capacity", "--run", "modadd"]),
        ("/api/capacity?run=modadd&by=kind&checkpoint=every:4&coef=-5:5", ["capacity", "--run", "modadd", "--by", "kind", "--checkpoint", "every:4", "--coef", "-5:5"]),
        ("/api/capacity?run=modadd&wide&squared", ["capacity", "--run", "modadd", "--wide", "--squared"]),
        ("/api/capacity?run=modadd&run=other&checkpoint=last", ["capacity", "--run", "modadd", "--run", "other", "--checkpoint", "last"]),
        ("/api/top?run=modadd&k=5&checkpoint=1882&layer=1", ["top", "--run", "modadd", "-k", "5", "--checkpoint", "1882", "--layer", "1"]),
        ("/api/top?run=modadd&coef=-2:2&kind=mlp&kind=attn_head", ["top", "--run", "modadd", "--coef", "-2:2", "--kind", "mlp", "--kind", "attn_head"]),
        ("/api/profile?run=modadd&component=L0H0&component=embed", ["profile", "--run", "modadd", "--component", "L0H0", "--component", "embed"]),
        ("/api/profile?run=modadd&component=L1H2&summary&checkpoint=first", ["profile", "--run", "modadd", "--component", "L1H2", "--summary", "--checkpoint", "first"]),
        ("/api/clusters?run=modadd&k=3", ["clusters", "--run", "modadd", "-k", "3"]),
        ("/api/clusters?run=modadd&k=2&method=hierarchical&distance=correlation&centroids", ["clusters", "--run", "modadd", "-k", "2", "--method", "hierarchical", "--distance", "correlation", "--centroids"]),
        ("/api/turnover?run=modadd&cutoff=0.05", ["turnover", "--run", "modadd", "--cutoff", "0.05"]),
        ("/api/turnover?run=modadd&cutoff=0.1&summary", ["turnover", "--run", "modadd", "--cutoff", "0.1", "--summary"]),
        ("/api/concentration?run=modadd&top=3", ["concentration", "--run", "modadd", "--top", "3"]),
        ("/api/norms?run=modadd&wide", ["norms", "--run", "modadd", "--wide"]),
        ("/api/norms?run=modadd&wov&checkpoint=0:100", ["norms", "--run", "modadd", "--wov", "--checkpoint", "0:100"]),
        ("/api/compare?run=modadd&run=other", ["compare", "--run", "modadd", "--run", "other"]),
        ("/api/compare?run=modadd&run=other&what=top&k=3", ["compare", "--run", "modadd", "--run", "other", "--what", "top", "-k", "3"]),
    ]

    func testEveryAPIAnswerEqualsTheCommandLinesJSON() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder, runs: ["modadd", "other"])
        let server = try ServeProcess(db: db)
        for (path, arguments) in Self.cases {
            let cli = try CLI.run(arguments + ["--db", db, "--format", "json"])
            XCTAssertEqual(cli.status, 0, "\(arguments): \(cli.stderr)")
            let answer = try server.get(path)
            XCTAssertEqual(answer.status, 200, "\(path): \(answer.body)")
            XCTAssertTrue(answer.headers.lowercased().contains("content-type: application/json"), path)
            XCTAssertGreaterThan(cli.stdout.count, 3, "\(arguments) printed an empty table: the case tests nothing")
            XCTAssertEqual(answer.body, cli.stdout, path)
        }
        XCTAssertEqual(server.stop().status, 0)
    }

    func testErrorsAreJSONWithTheCommandLinesMessageAndMatchingStatus() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let server = try ServeProcess(db: db)
        // Not found: the CLI's exit status 3 and its message, as HTTP 404.
        let cli = try CLI.run(["top", "--run", "nosuch", "--db", db])
        XCTAssertEqual(cli.status, 3)
        let missing = try server.get("/api/top?run=nosuch")
        XCTAssertEqual(missing.status, 404)
        let body = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(missing.body.utf8)) as? [String: Any])
        XCTAssertEqual(body["status"] as? Int, 3)
        XCTAssertEqual("attrdb: " + (body["error"] as? String ?? "") + "\n", cli.stderr)
        // Bad input and usage: 400, with the library's parser's message for a malformed selection.
        for (path, status, fragment) in [("/api/capacity?run=modadd&checkpoint=every:0", 64, "every"),
                                         ("/api/capacity?run=modadd&coef=5:-5", 64, "reversed"),
                                         ("/api/capacity?run=modadd&frobnicate=1", 64, "frobnicate"),
                                         ("/api/capacity", 64, "run"),
                                         ("/api/top?run=modadd&k=0", 64, "k takes a positive number"),
                                         ("/api/top?run=modadd&k=ten", 64, "whole number"),
                                         ("/api/capacity?run=modadd&by=planet", 64, "layer, kind"),
                                         ("/api/turnover?run=modadd", 64, "cutoff"),
                                         ("/api/compare?run=modadd", 64, "exactly two runs"),
                                         ("/api/top?run=modadd&component=nosuch", 3, "nosuch")] {
            let answer = try server.get(path)
            XCTAssertEqual(answer.status, status == 3 ? 404 : 400, "\(path): \(answer.body)")
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any], path)
            XCTAssertEqual(json["status"] as? Int, status, path)
            XCTAssertTrue((json["error"] as? String ?? "").contains(fragment), "\(path): \(answer.body)")
        }
        // The same parser as the command line: its message for every:0 is the API's.
        let everyZero = try CLI.run(["capacity", "--run", "modadd", "--checkpoint", "every:0", "--db", db])
        XCTAssertEqual(everyZero.status, 64)
        let apiEveryZero = try server.get("/api/capacity?run=modadd&checkpoint=every:0")
        let message = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(apiEveryZero.body.utf8)) as? [String: Any])?["error"] as? String)
        XCTAssertTrue(everyZero.stderr.contains(message), "\(everyZero.stderr) / \(message)")
        XCTAssertEqual(try server.get("/api/frobnicate?run=modadd").status, 404)
        XCTAssertEqual(server.stop().status, 0)
    }

    func testOnlyTheAssetsAreServedAndEveryResponseCarriesTheContentSecurityPolicy() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let server = try ServeProcess(db: db)
        for path in ["/", "/run/modadd", "/assets/app.js", "/assets/style.css"] {
            let answer = try server.get(path)
            XCTAssertEqual(answer.status, 200, path)
            XCTAssertTrue(answer.headers.lowercased().contains("content-security-policy: default-src 'self'"), "\(path): \(answer.headers)")
        }
        XCTAssertTrue(try server.get("/").body.contains("<script src=\"/assets/app.js\""))
        XCTAssertFalse(try server.get("/run/modadd").body.contains("<script>"), "no inline script: the policy forbids it")
        for path in ["/assets/../../../../etc/passwd", "/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/assets/..%2fPackage.swift",
                     "/../Package.swift", "/etc/passwd", "/assets/", "/assets/s.sqlite", "/run/"] {
            let answer = try server.get(path)
            XCTAssertTrue([400, 404].contains(answer.status), "\(path): \(answer.status)")
            XCTAssertFalse(answer.body.contains("root:"), path)
            XCTAssertFalse(answer.body.contains("PackageDescription"), path)
            XCTAssertFalse(answer.body.contains("SQLite format"), path)
        }
        XCTAssertEqual(server.stop().status, 0)
    }

    func testBindsLoopbackByDefaultAndWarnsForAnotherHost() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let server = try ServeProcess(db: db)
        XCTAssertTrue(server.base.hasPrefix("http://127.0.0.1:"), server.firstLine)
        // /proc/net/tcp lists the listening socket (state 0A) at 127.0.0.1 (0100007F), on no other address.
        let port = String(format: "%04X", server.port)
        let table = try String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)
        var listening: [String] = []
        for line in table.split(separator: "\n") {
            let fields: [Substring] = line.split(separator: " ")
            if fields.count > 3 && fields[1].hasSuffix(":" + port) && fields[3] == "0A" { listening.append(String(fields[1])) }
        }
        XCTAssertEqual(listening, ["0100007F:" + port])
        let stopped = server.stop(SIGINT)
        XCTAssertEqual(stopped.status, 0, "SIGINT stops cleanly")
        XCTAssertEqual(stopped.stderr, "", "nothing on standard error: no request log, no shutdown noise")

        let open = try ServeProcess(db: db, arguments: ["--host", "0.0.0.0"])
        XCTAssertEqual(try open.get("/api/runs").status, 200)
        let openStopped = open.stop()
        XCTAssertEqual(openStopped.status, 0)
        XCTAssertTrue(openStopped.stderr.contains("warning: serving on 0.0.0.0: anyone who can reach this address can read the store"), openStopped.stderr)
    }

    func testAPortInUseOrAnUnknownHostIsAClearError() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let server = try ServeProcess(db: db)
        let taken = try CLI.run(["serve", "--db", db, "--port", String(server.port)])
        XCTAssertEqual(taken.status, 1)
        XCTAssertTrue(taken.stderr.hasPrefix("attrdb: cannot serve on 127.0.0.1 port \(server.port): "), taken.stderr)
        XCTAssertTrue(taken.stderr.contains("in use"), taken.stderr)
        let unknown = try CLI.run(["serve", "--db", db, "--port", "0", "--host", "no-such-host.invalid"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("attrdb: cannot serve on no-such-host.invalid port 0"), unknown.stderr)
        XCTAssertEqual(server.stop().status, 0)
    }

    func testRefusesToStartOnAStoreItCannotUse() throws {
        let folder = try TemporaryFolder()
        let result = try CLI.run(["serve", "--db", folder.path("missing.sqlite"), "--port", "0"])
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(result.stdout, "")
    }

    func testFiftyConcurrentRequestsAllAnswerCorrectly() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder, runs: ["modadd", "other"])
        let server = try ServeProcess(db: db)
        let paths = (0..<50).map { Self.cases[$0 % Self.cases.count].path }
        var expected: [String: String] = [:]
        for path in Set(paths) { expected[path] = try server.get(path).body }
        let bodies = try server.getConcurrently(paths)
        for (path, body) in zip(paths, bodies) {
            XCTAssertEqual(body, expected[path], path)
            XCTAssertTrue(body.hasPrefix("["), path)
        }
        XCTAssertEqual(server.stop().status, 0)
    }

    func testHostileNamesAreEscapedInTheAnswers() throws {
        let folder = try TemporaryFolder()
        let hostile = "<img src=x onerror=alert(1)>\"\\\u{1}"
        let db = try CLI.exampleStore(in: folder, runs: [hostile])
        let server = try ServeProcess(db: db)
        let runs = try server.get("/api/runs")
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(runs.body.utf8)) as? [[String: Any]])
        XCTAssertEqual(parsed.first?["name"] as? String, hostile)
        let page = try server.get("/run/" + hostile.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        XCTAssertEqual(page.status, 200)
        XCTAssertFalse(page.body.contains("<img"), "the page is static: names reach it only through the script's textContent")
        XCTAssertEqual(server.stop().status, 0)
    }
}
