import XCTest
@testable import AttrDB

/// The recorder and the matrix reader with a 16-bit precision: what is stored is the rounding, what
/// is read (whole matrices, verified or not, and profiles at an offset) is its float32 value.
final class RecorderPrecisionTests: XCTestCase {
    private let components = [Component(label: "L0H0", layer: 0, kind: .attnHead, index: 0), Component(label: "embed", layer: -1, kind: .embed)]
    private let values: [Float] = [1 + 0x1p-11, 0x1p-25 * 3, -2.5, 1000.3, 0x1p-30, -0.0]

    private func record(_ fixture: IngestFixture, _ precision: Precision?, values: [Float], step: Int = 1, run: String = "r") throws -> Recorder {
        let recorder = try Recorder(store: fixture.store, target: IngestTarget(run: run, metric: "m"), components: components,
                                    coefficients: [-1, 0, 1], options: IngestOptions(precision: precision), source: "test")
        try recorder.append(step: step, values: values)
        try recorder.commit()
        return recorder
    }

    func testAHalfPrecisionRunReadsBackItsRoundingWholeVerifiedAndByProfile() throws {
        for precision in [Precision.f16, .bf16] {
            let fixture = try IngestFixture()
            let recorder = try record(fixture, precision, values: values)
            XCTAssertEqual(recorder.precision, precision)
            let expected = values.map { precision == .f16 ? Float16Bits.decode(Float16Bits.encode($0.bitPattern)) : BFloat16Bits.decode(BFloat16Bits.encode($0.bitPattern)) }
            XCTAssertNotEqual(expected, values, "the test's values are not all representable")
            let selection = try ScanSelection(store: fixture.store, run: "r")
            XCTAssertEqual(selection.precision, precision)
            let reader = try selection.matrixReader()
            var whole = [Float](repeating: .nan, count: values.count)
            try whole.withUnsafeMutableBufferPointer { try reader.read(checkpoint: 0, into: $0, verifying: true) }
            XCTAssertEqual(whole.map(\.bitPattern), expected.map(\.bitPattern), "\(precision)")
            var profile = [Float](repeating: .nan, count: 2)
            try profile.withUnsafeMutableBufferPointer { try reader.readProfile(checkpoint: 0, component: 1, first: 1, count: 2, into: $0) }
            XCTAssertEqual(profile.map(\.bitPattern), expected[4...5].map(\.bitPattern), "\(precision)")
            let bytes = try fixture.store.connection.scalar("SELECT length(matrix) FROM attribution")?.int64
            XCTAssertEqual(bytes, 12, "2 bytes a value")
        }
    }

    func testTheSameValuesAgainAreUnchangedAndDifferentOnesNameTheRoundedValues() throws {
        let fixture = try IngestFixture()
        _ = try record(fixture, .f16, values: values)
        let again = try record(fixture, nil, values: values)
        XCTAssertEqual(again.precision, .f16, "no precision asked: the run's own")
        XCTAssertEqual(again.summary.unchanged, 1)
        // Another input that rounds to the same 16 bits is the same checkpoint as stored.
        var close = values
        close[3] = 1000.31
        XCTAssertEqual(try record(fixture, .f16, values: close).summary.unchanged, 1)
        close[3] = 1001
        try fixture.assertRefused("test: checkpoint 1 of r/default/m is already stored with different values (first difference: component embed, coefficient -1.0: stored 1000.5, input 1001.0); use --replace to overwrite") {
            _ = try record(fixture, .f16, values: close)
        }
    }

    func testAnotherPrecisionThanTheRunsIsAConflictEvenWithReplace() throws {
        let fixture = try IngestFixture()
        _ = try record(fixture, .bf16, values: values)
        try fixture.assertRefused("test: run 'r' is stored in bf16; the input asks for f32, and a run has one precision: ingest with --precision bf16, or into another run") {
            let recorder = try Recorder(store: fixture.store, target: IngestTarget(run: "r", metric: "m"), components: components,
                                        coefficients: [-1, 0, 1], options: IngestOptions(replace: true, precision: .f32), source: "test")
            try recorder.commit()
        }
    }

    func testRoundingErrorsAreKeptWithTheRunAsTheLargestOverItsIngests() throws {
        let fixture = try IngestFixture()
        _ = try record(fixture, .f16, values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try fixture.store.details(ofRun: "r").rounding, RoundingError())
        _ = try record(fixture, .f16, values: values, step: 2)
        _ = try record(fixture, .f16, values: [1, 2, 3, 4, 5, 6.001], step: 3)
        let details = try fixture.store.details(ofRun: "r")
        XCTAssertEqual(details.summary.run.precision, .f16)
        // 3 · 2⁻²⁵ is stored as 2 · 2⁻²⁴ (relative error 1/3), 2⁻³⁰ as 0.
        XCTAssertEqual(details.rounding.maxRelative, abs(0x1p-23 - 3 * 0x1p-25) / (3 * 0x1p-25))
        XCTAssertEqual(details.rounding.maxRoundedToZero, 0x1p-30)
    }
}
