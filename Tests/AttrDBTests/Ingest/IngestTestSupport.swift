import Foundation
import XCTest
@testable import AttrDB

/// A store in a temporary folder, with helpers to ingest text inputs and snapshot the file.
final class IngestFixture {
    let folder: TemporaryFolder
    let store: Store
    var storePath: String { store.path }

    init() throws {
        folder = try TemporaryFolder()
        store = try Store(path: folder.path("s.sqlite"), access: .create)
    }

    /// Writes `text` to a file named `name` in the folder and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let path = folder.path(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @discardableResult
    func ingest(_ path: String, run: String = "r", metric: String? = nil, options: IngestOptions = IngestOptions()) throws -> IngestSummary {
        try Ingest.run(IngestRequest(path: path, run: run, metric: metric, options: options), into: store)
    }

    /// The store's bytes and its write-ahead log's, to check a failed ingest changed nothing. Every
    /// write is checkpointed when it commits, so the database file alone holds everything committed.
    func snapshot() throws -> Data {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: store.path))
        if let log = try? Data(contentsOf: URL(fileURLWithPath: store.path + "-wal")) { bytes.append(log) }
        return bytes
    }

    /// Asserts that `body` throws an ingest error whose text is exactly `message`, and that the store is unchanged.
    func assertRefused(_ message: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) throws {
        let before = try snapshot()
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual("\(error)", message, file: file, line: line)
        }
        XCTAssertEqual(try snapshot(), before, "the store changed", file: file, line: line)
    }
}

/// A tiny long-form CSV: 2 checkpoints × 2 coefficients × 3 components.
func tinyCSV(scale: Float = 1) -> String {
    var lines = ["checkpoint_step,coefficient,component,layer,kind,value"]
    for step in [10, 20] {
        for coefficient in [-1.0, 1.0] {
            for (index, label) in ["L0H0", "0_mlp_out", "embed"].enumerated() {
                let value = scale * Float(step) * Float(coefficient) + Float(index) / 8
                lines.append("\(step),\(coefficient),\(label),,,\(value)")
            }
        }
    }
    return lines.joined(separator: "\n") + "\n"
}
