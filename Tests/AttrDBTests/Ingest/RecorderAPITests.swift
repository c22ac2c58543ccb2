import XCTest
@testable import AttrDB

/// The README's "Using the library from Swift" example, as it stands there.
final class RecorderAPITests: XCTestCase {
    func testReadmeExample() throws {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("attrdb.sqlite"), access: .create)
        let recorder = try Recorder(store: store, target: IngestTarget(run: "live", metric: "logit_diff"),
                                    components: [Component(label: "L0H0", layer: 0, kind: .attnHead, index: 0)],
                                    coefficients: [0])
        try recorder.append(step: 100, values: [0.25])
        try recorder.commit()
        let capacity = Capacity(try ComponentMasses(try ResolvedSelection(
            scan: ScanSelection(store: store, run: "live"), selection: QuerySelection())), by: .layer)
        XCTAssertEqual(capacity.rows, [CapacityRow(step: 100, group: .layer(0), mass: 0.25, share: 1)])
    }
}
