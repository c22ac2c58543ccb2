import XCTest
@testable import AttrDB

/// Rows attrdb never writes — edited in by SQL, past the schema's CHECK constraints — are reported
/// as a damaged store naming the run and the row, never read as something else.
final class RowDecodingTests: XCTestCase {
    private func storeWithRun() throws -> IngestFixture {
        let fixture = try IngestFixture()
        let recorder = try Recorder(store: fixture.store, target: IngestTarget(run: "r", metric: "m"),
                                    components: [Component(label: "L0H0", layer: 0, kind: .attnHead, index: 0), Component(label: "embed", layer: -1, kind: .embed)],
                                    coefficients: [0])
        try recorder.append(step: 1, values: [1, 2])
        try recorder.commit()
        return fixture
    }

    private func assertCorrupt(_ fixture: IngestFixture, _ detail: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Any) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? StoreError, .corrupt(path: fixture.storePath, detail: detail), file: file, line: line)
        }
    }

    func testAnUnknownComponentKindIsADamagedStoreNotAnMLP() throws {
        let fixture = try storeWithRun()
        try fixture.store.connection.execute("PRAGMA ignore_check_constraints = 1; UPDATE component SET kind = 'mystery' WHERE label = 'L0H0'")
        let detail = "run 'r', component 'L0H0' has kind 'mystery', which attrdb does not write (embed, pos_embed, attn_head, mlp, neuron, bias)"
        assertCorrupt(fixture, detail) { try ScanSelection(store: fixture.store, run: "r") }
        assertCorrupt(fixture, detail) { try fixture.store.components(ofRun: "r") }
        assertCorrupt(fixture, detail) {
            try Recorder(store: fixture.store, target: IngestTarget(run: "r", metric: "m"),
                         components: [Component(label: "L0H0", layer: 0, kind: .attnHead, index: 0), Component(label: "embed", layer: -1, kind: .embed)],
                         coefficients: [0])
        }
        XCTAssertEqual(StoreError.corrupt(path: "s.sqlite", detail: detail).description,
                       "s.sqlite: the store is damaged: \(detail); run 'attrdb check'")
    }

    func testAnUnknownRunStatusIsADamagedStore() throws {
        let fixture = try storeWithRun()
        try fixture.store.connection.execute("PRAGMA ignore_check_constraints = 1; UPDATE run SET status = 'paused'")
        let detail = "run 'r' has status 'paused', which attrdb does not write (complete, incomplete)"
        assertCorrupt(fixture, detail) { try fixture.store.runs() }
        assertCorrupt(fixture, detail) { try fixture.store.run(named: "r") }
        assertCorrupt(fixture, detail) {
            try Recorder(store: fixture.store, target: IngestTarget(run: "r", metric: "m"),
                         components: [Component(label: "L0H0", layer: 0, kind: .attnHead, index: 0), Component(label: "embed", layer: -1, kind: .embed)],
                         coefficients: [0])
        }
    }
}
