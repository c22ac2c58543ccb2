import Foundation
import XCTest

/// README.md runs as written: its shell and Python blocks (see ``ReadmeBlock`` for which, and for
/// the `<!-- no-run: REASON -->` marker that leaves one out) run in order, in one fresh temporary
/// folder, each failing the test with its line number, the line of the command that failed (shell)
/// and its output on a nonzero exit.
///
/// The folder holds `examples/`, a link to the repository's, so the README's paths work; the built
/// `attrdb` is first on PATH; Python blocks run with `$ATTRDB_PYTHON` (make test's virtualenv), else
/// python3. $ATTRDB_DB is unset, so the blocks use ./attrdb.sqlite in the folder as a reader would.
final class ReadmeTests: XCTestCase {
    func testEveryBlockOfTheReadmeRunsInOrder() throws {
        let readme = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = try ReadmeBlock.parse(readme)
        XCTAssertGreaterThan(blocks.count, 5, "the README's runnable blocks")
        let folder = try TemporaryFolder()
        try FileManager.default.createSymbolicLink(at: folder.url.appendingPathComponent("examples"),
                                                   withDestinationURL: CLI.repositoryRoot.appendingPathComponent("examples"))
        let path = CLI.binary.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        for block in blocks {
            let result: CLI.Result
            switch block.language {
            case .shell:
                // The first line of code is the script's line 2: the trap names the README's line of the command that failed.
                let prelude = #"set -eo pipefail; trap 'status=$?; echo "README.md:$((\#(block.line) + LINENO - 1)): exit status $status" >&2' ERR"#
                result = try CLI.run(["-c", prelude + "\n" + block.code], environment: ["PATH": path], in: folder.url,
                                     executable: URL(fileURLWithPath: "/bin/bash"))
            case .python:
                result = try CLI.run(["-c", block.code], environment: ["PATH": path], in: folder.url,
                                     executable: URL(fileURLWithPath: "/usr/bin/env"), prefix: [Python.command])
                // As the other oracle tests do without numpy, pyarrow or duckdb (make test installs them).
                if result.stderr.contains("No module named") { throw XCTSkip("README.md:\(block.line) needs a Python module: \(result.stderr)") }
            }
            guard result.status == 0 else {
                XCTFail("README.md:\(block.line): the \(block.language) block exited \(result.status)\n\(block.code)\n--- stdout\n\(result.stdout)--- stderr\n\(result.stderr)")
                return  // later blocks build on this one
            }
        }
    }

    func testBlocksAreFoundWithTheirLinesAndTheMarkerLeavesOneOut() throws {
        let markdown = """
            # t
            ```sh
            echo one
            ```
            <!-- no-run: builds everything -->

            ```sh
            make all
            ```
            ```swift
            let x = 1
            ```
            ```console
            $ attrdb runs
            name  model
            ```
            ```python
            print(2)
            ```
            """
        XCTAssertEqual(try ReadmeBlock.parse(markdown), [
            ReadmeBlock(line: 2, language: .shell, code: "echo one"),
            ReadmeBlock(line: 13, language: .shell, code: "attrdb runs"),
            ReadmeBlock(line: 17, language: .python, code: "print(2)"),
        ])
        XCTAssertThrowsError(try ReadmeBlock.parse("```sh\necho\n")) { XCTAssertEqual("\($0)", "README.md:1: a code fence that is never closed") }
    }
}
