import Foundation
import XCTest
@testable import AttrDB

/// The bundled example (real TransformerLens data) ingested once per test into a fresh store,
/// and the numpy-made reference answers beside it.
final class ExampleStore {
    let fixture: IngestFixture
    var store: Store { fixture.store }

    init() throws {
        fixture = try IngestFixture()
        try fixture.ingest(Repository.example.path, run: "modadd")
    }

    func resolved(_ selection: QuerySelection = QuerySelection()) throws -> ResolvedSelection {
        try ResolvedSelection(scan: ScanSelection(store: store, run: "modadd"), selection: selection)
    }

    /// Rows of `examples/tl-modadd/<name>` as dictionaries of column → text.
    static func oracle(_ name: String) throws -> [[String: String]] {
        let text = try String(contentsOf: Repository.example.appendingPathComponent(name), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}

/// Asserts `a` and `b` agree to `relative` (with an absolute floor for values near 0).
func assertClose(_ a: Double, _ b: Double, relative: Double = 1e-5, _ message: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    let tolerance = max(abs(b) * relative, 1e-9)
    XCTAssertLessThanOrEqual(abs(a - b), tolerance, "\(a) vs \(b) \(message())", file: file, line: line)
}
