import XCTest
@testable import AttrDB

/// A 16-bit run's masses over a `--coef` range are reduced straight from its stored words: they
/// must be, bit for bit, the masses of the float32 values ``MatrixReader`` decodes them to.
final class HalfPrecisionMassesTests: XCTestCase {
    private let components = (0..<5).map { Component(label: "L\($0 / 2)H\($0 % 2)", layer: $0 / 2, kind: .attnHead, index: $0 % 2) }
    /// 21 coefficients: at least 16 (so the run keeps summaries, which these reads must not use) and
    /// not a multiple of 4 (so each reduction's tail loop runs).
    private let grid = (0..<21).map { -1 + Double($0) * 0.1 }

    private func store(_ precision: Precision) throws -> IngestFixture {
        let fixture = try IngestFixture()
        let recorder = try Recorder(store: fixture.store, target: IngestTarget(run: "r", metric: "m"), components: components,
                                    coefficients: grid, options: IngestOptions(precision: precision), source: "test")
        var generator = SystemRandomNumberGenerator()
        for step in [0, 10, 20] {
            // Magnitudes from f16's subnormals to near its largest, both signs.
            let values = (0..<(components.count * grid.count)).map { _ -> Float in
                Float(Double.random(in: -1...1, using: &generator) * pow(2, Double.random(in: -20...14, using: &generator)))
            }
            try recorder.append(step: step, values: values)
        }
        try recorder.commit()
        return fixture
    }

    func testMassesFromStoredWordsEqualTheReductionOfTheDecodedValues() throws {
        for precision in [Precision.f16, .bf16] {
            let fixture = try store(precision)
            let scan = try ScanSelection(store: fixture.store, run: "r")
            XCTAssertEqual(scan.precision, precision)
            let reader = try scan.matrixReader()
            var decoded = [[Float]](repeating: [Float](repeating: 0, count: scan.valuesPerCheckpoint), count: scan.checkpoints.count)
            for c in decoded.indices { try decoded[c].withUnsafeMutableBufferPointer { try reader.read(checkpoint: c, into: $0) } }
            for coefficients in [CoefficientSelection.all, .range(-0.45, 0.72), .nearest(0.3)] {
                let resolved = try ResolvedSelection(scan: scan, selection: QuerySelection(coefficients: coefficients, components: ComponentFilter(layers: [0, 2])))
                for mode in MassMode.allCases {
                    let masses = try ComponentMasses(resolved, mode: mode, summaries: false)
                    let expected = resolved.checkpoints.map { c in
                        resolved.components.map { p in
                            decoded[c].withUnsafeBufferPointer { values in
                                ComponentMasses.reduce(UnsafeBufferPointer(rebasing: values[(p * grid.count + resolved.coefficients.lowerBound)..<(p * grid.count + resolved.coefficients.upperBound)]), mode)
                            }
                        }
                    }
                    XCTAssertEqual(masses.masses.map { $0.map(\.bitPattern) }, expected.map { $0.map(\.bitPattern) }, "\(precision) \(coefficients) \(mode)")
                    XCTAssertTrue(expected.joined().contains { $0 != 0 })
                }
            }
        }
    }
}
