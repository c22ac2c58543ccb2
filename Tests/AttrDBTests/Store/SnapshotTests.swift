import Foundation
import XCTest
@testable import AttrDB

/// ``Store/snapshot(_:)``: every read in it sees the store as it was when it began, so a reader
/// (`attrdb serve`) never sees an ingest that commits meanwhile, or half of one.
final class SnapshotTests: XCTestCase {
    func testReadsInASnapshotDoNotSeeAnIngestThatCommitsMeanwhile() throws {
        let fixture = try IngestFixture()
        try fixture.ingest(try fixture.file("a.csv", tinyCSV()), run: "r")
        let reader = try Store(path: fixture.storePath, access: .read)
        let later = tinyCSV().replacingOccurrences(of: "\n10,", with: "\n30,").replacingOccurrences(of: "\n20,", with: "\n40,")
        let laterPath = try fixture.file("b.csv", later)
        let (before, during) = try reader.snapshot {
            let before = try reader.runs().map(\.checkpoints)
            try fixture.ingest(laterPath, run: "r")   // another connection commits two checkpoints
            return (before, try reader.runs().map(\.checkpoints))
        }
        XCTAssertEqual(before, [2])
        XCTAssertEqual(during, [2], "inside the snapshot the ingest is not seen")
        XCTAssertEqual(try reader.runs().map(\.checkpoints), [4], "after it, the next read sees the whole ingest")
    }

    func testAnErrorInTheBodyEndsTheSnapshotAndIsRethrown() throws {
        let fixture = try IngestFixture()
        try fixture.ingest(try fixture.file("a.csv", tinyCSV()), run: "r")
        let reader = try Store(path: fixture.storePath, access: .read)
        struct Stop: Error {}
        XCTAssertThrowsError(try reader.snapshot { throw Stop() }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(try reader.snapshot { try reader.runs().count }, 1, "a new snapshot begins after a failed one")
    }
}
