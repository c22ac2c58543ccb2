import Foundation
import XCTest
@testable import AttrDB

/// Tests/corpus: malformed inputs, each with the exact error it must give (manifest.tsv, `{path}`
/// standing for the input's path), and a store left unchanged by every one of them.
final class CorpusTests: XCTestCase {
    func testEveryMalformedFileGivesItsExactError() throws {
        let corpus = Repository.root.appendingPathComponent("Tests/corpus")
        let manifest = try String(contentsOf: corpus.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        let entries = manifest.split(separator: "\n").map { $0.split(separator: "\t", maxSplits: 1).map(String.init) }
        XCTAssertGreaterThanOrEqual(entries.count, 30)
        let fixture = try IngestFixture()
        try fixture.ingest(Repository.example.path, run: "existing")
        for entry in entries {
            let path = corpus.appendingPathComponent("files").appendingPathComponent(entry[0]).path
            let expected = entry[1].replacingOccurrences(of: "{path}", with: path)
            if path.hasSuffix(".frames") {
                // A frame stream, read as standard input would give it; its errors name the file.
                try fixture.assertRefused(expected) {
                    let descriptor = open(path, O_RDONLY)
                    defer { close(descriptor) }
                    _ = try FrameIngest.run(descriptor: descriptor, file: path, storePath: fixture.storePath) {}
                }
            } else {
                try fixture.assertRefused(expected) { try fixture.ingest(path, run: "corpus") }
            }
        }
    }
}
