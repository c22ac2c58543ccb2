import XCTest

/// A mistyped command is named as a command, with the closest real ones, and exits 64, whether it
/// comes first, after the root's options or after `help`.
final class UnknownCommandTests: XCTestCase {
    private let capacty = "attrdb: Unknown command 'capacty'. Did you mean 'capacity'?\nSee 'attrdb --help' for the commands.\n"

    func testAMistypedCommandWithOptionsSuggestsTheCommand() throws {
        // Before: "Error: Unknown option '--run'. Did you mean '--db'?"
        let result = try CLI.run(["capacty", "--run", "m"])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderr, capacty)
        XCTAssertEqual(result.stdout, "")
    }

    func testHelpForAMistypedCommandIsAnError() throws {
        // Before: the top-level help with exit status 0.
        let result = try CLI.run(["help", "capacty"])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderr, capacty)
        XCTAssertEqual(result.stdout, "")
    }

    func testTheRootOptionsValueIsNotTakenForTheCommand() throws {
        let result = try CLI.run(["--db", "capacity.sqlite", "--busy-timeout", "1", "capacty"])
        XCTAssertEqual(result.status, 64)
        XCTAssertEqual(result.stderr, capacty)
    }

    func testSwappedLettersAreSuggestedAndAFarNameGetsNone() throws {
        XCTAssertEqual(try CLI.run(["shwo"]).stderr, "attrdb: Unknown command 'shwo'. Did you mean 'show'?\nSee 'attrdb --help' for the commands.\n")
        let far = try CLI.run(["frobnicate", "--run", "m"])
        XCTAssertEqual(far.status, 64)
        XCTAssertEqual(far.stderr, "attrdb: Unknown command 'frobnicate'.\nSee 'attrdb --help' for the commands.\n")
    }

    func testKnownCommandsAndHelpStillWork() throws {
        let help = try CLI.run(["help", "capacity"])
        XCTAssertEqual(help.status, 0, help.stderr)
        XCTAssertTrue(help.stdout.contains("USAGE: attrdb capacity"), help.stdout)
        let top = try CLI.run(["--db", "x.sqlite", "top"])
        XCTAssertEqual(top.status, 64)
        XCTAssertTrue(top.stderr.hasPrefix("Error: Give a run with --run NAME."), top.stderr)
    }
}
