import XCTest
@testable import AttrDB

final class RecorderTests: XCTestCase {
    private let components = [Component(label: "L0H0", layer: 0, kind: .attnHead, index: 0), Component(label: "embed", layer: -1, kind: .embed)]

    private func recorder(_ fixture: IngestFixture, run: String = "r", model: String? = nil, options: IngestOptions = IngestOptions()) throws -> Recorder {
        try Recorder(store: fixture.store, target: IngestTarget(run: run, metric: "logit_diff", model: model),
                     components: components, coefficients: [-1, 0, 1], options: options, source: "test")
    }

    private func stored(_ fixture: IngestFixture, step: Int) throws -> [Float] {
        let selection = try ScanSelection(store: fixture.store, run: "r")
        guard let index = selection.checkpoints.firstIndex(where: { $0.step == step }) else { return [] }
        var values = [Float](repeating: 0, count: selection.valuesPerCheckpoint)
        try values.withUnsafeMutableBufferPointer { try selection.matrixReader().read(checkpoint: index, into: $0) }
        return values
    }

    func testAppendCommitAndAppendLater() throws {
        let fixture = try IngestFixture()
        var r = try recorder(fixture)
        try r.append(step: 100, values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try r.commit().added, 1)
        r = try recorder(fixture)
        try r.append(step: 200, values: [6, 5, 4, 3, 2, 1])
        try r.append(step: 100, values: [1, 2, 3, 4, 5, 6])
        let summary = try r.commit()
        XCTAssertEqual([summary.added, summary.unchanged, summary.replaced], [1, 1, 0])
        XCTAssertEqual(try stored(fixture, step: 100), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try stored(fixture, step: 200), [6, 5, 4, 3, 2, 1])
    }

    func testReleasedWithoutCommitLeavesStoreUnchanged() throws {
        let fixture = try IngestFixture()
        let before = try fixture.snapshot()
        do {
            let r = try recorder(fixture)
            try r.append(step: 1, values: [1, 2, 3, 4, 5, 6])
        }
        XCTAssertEqual(try fixture.snapshot(), before)
        XCTAssertEqual(try fixture.store.runs().count, 0)
    }

    func testConflictingValuesAreRefusedUnlessReplace() throws {
        let fixture = try IngestFixture()
        let first = try recorder(fixture)
        try first.append(step: 1, values: [1, 2, 3, 4, 5, 6])
        try first.commit()
        try fixture.assertRefused("test: checkpoint 1 of r/default/logit_diff is already stored with different values (first difference: component embed, coefficient 1.0: stored 6.0, input 7.0); use --replace to overwrite") {
            let r = try recorder(fixture)
            try r.append(step: 1, values: [1, 2, 3, 4, 5, 7])
            try r.commit()
        }
        let replacing = try recorder(fixture, options: IngestOptions(replace: true))
        try replacing.append(step: 1, values: [1, 2, 3, 4, 5, 7])
        XCTAssertEqual(try replacing.commit().replaced, 1)
        XCTAssertEqual(try stored(fixture, step: 1), [1, 2, 3, 4, 5, 7])
    }

    func testNonFiniteValuesAreRefusedWithCountAndFirstPosition() throws {
        let fixture = try IngestFixture()
        try fixture.assertRefused("test: 3 non-finite values (NaN or ±Inf); the first at checkpoint_step 2, coefficient 0.0, component embed. Nothing was stored; use --allow-nonfinite to store them") {
            let r = try recorder(fixture)
            try r.append(step: 1, values: [1, 2, 3, 4, 5, 6])
            try r.append(step: 2, values: [1, 2, 3, 4, .nan, .infinity])
            try r.append(step: 3, values: [-.infinity, 2, 3, 4, 5, 6])
            try r.commit()
        }
        let allowed = try recorder(fixture, options: IngestOptions(allowNonFinite: true))
        try allowed.append(step: 2, values: [1, 2, 3, 4, .nan, .infinity])
        try allowed.commit()
        let back = try stored(fixture, step: 2)
        XCTAssertTrue(back[4].isNaN)
        XCTAssertEqual(back[5], .infinity)
    }

    func testRunWithAnotherModelOrOtherComponentsIsAConflict() throws {
        let fixture = try IngestFixture()
        let first = try recorder(fixture, model: "tiny-2l")
        try first.append(step: 1, values: [1, 2, 3, 4, 5, 6])
        try first.commit()
        try fixture.assertRefused("test: run 'r' exists with model 'tiny-2l', the input says 'gpt2'; use another run name, or --replace") {
            _ = try recorder(fixture, model: "gpt2")
        }
        try fixture.assertRefused("test: the components differ from the run's: at position 1 the run has 'embed', the input 'pos_embed'") {
            _ = try Recorder(store: fixture.store, target: IngestTarget(run: "r", metric: "logit_diff"),
                             components: [components[0], Component(label: "pos_embed", layer: -1, kind: .posEmbed)],
                             coefficients: [-1, 0, 1], source: "test")
        }
        try fixture.assertRefused("test: scan 'default' of run 'r' has 3 coefficients -1.0…1.0; the input has 2 coefficients 0.0…1.0; use another --scan name, or --replace to replace the whole scan") {
            _ = try Recorder(store: fixture.store, target: IngestTarget(run: "r", metric: "logit_diff"),
                             components: components, coefficients: [0, 1], source: "test")
        }
    }

    func testWrongLengthIsAnError() throws {
        let fixture = try IngestFixture()
        let r = try recorder(fixture)
        XCTAssertThrowsError(try r.append(step: 1, values: [1, 2, 3])) {
            XCTAssertEqual("\($0)", "test: checkpoint 1: expected 6 values (2 components × 3 coefficients), found 3")
        }
    }

    func testIdenticalReingestChangesNothingAndSaysSo() throws {
        let fixture = try IngestFixture()
        let path = try fixture.file("t.csv", tinyCSV())
        XCTAssertEqual(try fixture.ingest(path, metric: "m").added, 2)
        let before = try fixture.snapshot()
        let again = try fixture.ingest(path, metric: "m")
        XCTAssertEqual([again.added, again.unchanged, again.replaced, again.statistics], [0, 2, 0, 0])
        XCTAssertTrue(again.line.contains("nothing new"), again.line)
        XCTAssertEqual(try fixture.snapshot(), before)
    }
}
