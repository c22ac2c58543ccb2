import Foundation
import XCTest

/// `attrdb columns` and `attrdb help columns`: every command's columns with their meanings.
final class ColumnsCommandTests: XCTestCase {
    static let explained = ["share", "saturation", "rank_change", "top_k_share", "mass", "effective_components", "gini", "entropy", "growth_pct_per_layer"]

    func testColumnsAndHelpColumnsExplainTheSubtleColumns() throws {
        for command in [["columns"], ["help", "columns"]] {
            let result = try CLI.run(command)
            XCTAssertEqual(result.status, 0, "\(command): \(result.stderr)")
            XCTAssertEqual(result.stderr, "", "\(command)")
            for column in Self.explained {
                XCTAssertNotNil(result.stdout.range(of: "\n  \(column) "), "\(command) does not explain \(column)")
            }
            // Meanings wrap at different widths in the two: compare them with the line breaks undone.
            let flowing = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            XCTAssertTrue(flowing.contains("the group's mass / the total mass of every selected component"), "\(command)")
            XCTAssertTrue(flowing.contains("positive means the component rose"), "\(command)")
        }
    }

    /// The top-level help says where the columns are explained.
    func testTheTopLevelHelpPointsToTheColumns() throws {
        let help = try CLI.run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("attrdb help columns"), help.stdout)
        XCTAssertTrue(help.stdout.contains("columns "), "columns listed among the subcommands")
    }

    func testOneCommandsColumnsAsATable() throws {
        let text = try CLI.run(["columns", "concentration"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.hasPrefix("concentration: "), text.stdout)
        XCTAssertFalse(text.stdout.contains("capacity"), text.stdout)
        let csv = try CLI.run(["columns", "concentration", "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let lines = csv.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "command,column,type,unit,nullable,meaning")
        XCTAssertEqual(lines.dropFirst().map { String($0.split(separator: ",")[1]) },
                       ["checkpoint_step", "entropy", "effective_components", "gini", "top_k_share"])
        XCTAssertTrue(lines.contains { $0.hasPrefix("concentration,entropy,double,nats,1,") }, csv.stdout)
        let folder = try TemporaryFolder()
        let file = folder.path("columns.csv")
        let written = try CLI.run(["columns", "concentration", "-o", file])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertEqual(written.stdout, "")
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), csv.stdout)
    }

    func testAnUnknownCommandIsAUsageError() throws {
        let result = try CLI.run(["columns", "capacty"])
        XCTAssertEqual(result.status, 64)
        XCTAssertTrue(result.stderr.contains("No columns for 'capacty'"), result.stderr)
        XCTAssertTrue(result.stderr.contains("capacity"), result.stderr)
        XCTAssertEqual(result.stdout, "")
    }
}
