import Foundation
import XCTest
import AttrDB

/// The README's Swift block, compiled and run: the test below holds it verbatim between the markers,
/// and `testTheReadmeShowsThisCode` fails when the README's copy differs by a character, so the
/// snippet can neither stop compiling nor drift from what is compiled.
final class ReadmeSwiftTests: XCTestCase {
    func testTheSnippetRunsAndWritesTheCapacityTable() throws {
        let folder = try TemporaryFolder()
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(folder.url.path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }

        // README begin
        let store = try Store(path: "attrdb.sqlite", access: .create)
        let recorder = try Recorder(store: store, target: IngestTarget(run: "live", metric: "logit_diff"),
                                    components: [Component(label: "L0H0", layer: 0, kind: .attnHead, index: 0)],
                                    coefficients: [0])
        try recorder.append(step: 100, values: [0.25])   // component-major: [component][coefficient]
        try recorder.commit()                            // one transaction; released uncommitted, nothing is kept
        let capacity = Capacity(try ComponentMasses(try ResolvedSelection(
            scan: ScanSelection(store: store, run: "live"), selection: QuerySelection())), by: .layer)
        print(capacity.rows[0].group, capacity.rows[0].share)   // typed rows: step, group (.layer(0)), mass, share
        try TableOutput(format: nil, path: "capacity.csv", isTerminal: false).write(ResultTable(capacity))
        // README end

        XCTAssertEqual(capacity.rows.count, 1)
        XCTAssertEqual(capacity.rows[0].share, 1)
        XCTAssertEqual(try String(contentsOfFile: folder.path("capacity.csv"), encoding: .utf8),
                       "checkpoint_step,layer,mass,share\n100,0,0.25,1.0\n")
    }

    func testTheReadmeShowsThisCode() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8).components(separatedBy: "\n")
        guard let begin = source.firstIndex(where: { $0.hasSuffix("// README begin") }),
              let end = source.firstIndex(where: { $0.hasSuffix("// README end") }) else { return XCTFail("markers missing") }
        let compiled = source[(begin + 1)..<end].map { $0.hasPrefix("        ") ? String($0.dropFirst(8)) : $0 }
        let readme = try String(contentsOf: Repository.root.appendingPathComponent("README.md"), encoding: .utf8).components(separatedBy: "\n")
        guard let open = readme.firstIndex(of: "```swift"),
              let close = readme[open...].firstIndex(of: "```") else { return XCTFail("README has no ```swift block") }
        let shown = Array(readme[(open + 1)..<close])
        XCTAssertEqual(shown.first, "import AttrDB")
        XCTAssertEqual(Array(shown.dropFirst()), compiled, "README.md's Swift block differs from the code this test compiles")
    }
}
