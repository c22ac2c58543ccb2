import XCTest
@testable import AttrDB

/// The dictionary of a column chunk: one index per distinct value by bytes, in first-seen order,
/// whichever way the look-up goes (the last value, the foretold next one, or the hash table).
final class ColumnDictionaryTests: XCTestCase {
    func testCyclesThatChangeStillGetTheRightIndices() {
        var dictionary = ColumnDictionary()
        let labels = ["a", "b", "c", "d"].map { ParquetValue.string($0) }
        // Two whole cycles, then one that skips and reorders (the foretold next label is wrong),
        // then runs of one label, then labels made anew (other string objects, same bytes).
        let sequence = labels + labels + [labels[0], labels[2], labels[1], labels[3], labels[3], labels[3], labels[0]]
            + ["c", "a", "b"].map { ParquetValue.string(String($0.unicodeScalars.map(Character.init))) }
        let indices = sequence.map { dictionary.index(of: $0) }
        XCTAssertEqual(indices, [0, 1, 2, 3, 0, 1, 2, 3, 0, 2, 1, 3, 3, 3, 0, 2, 0, 1])
        XCTAssertEqual(dictionary.count, 4)
        XCTAssertEqual(dictionary.plainBytes, [1, 0, 0, 0, 97, 1, 0, 0, 0, 98, 1, 0, 0, 0, 99, 1, 0, 0, 0, 100])
    }

    func testValuesAreToldApartByTheirBytes() {
        var dictionary = ColumnDictionary()
        XCTAssertEqual(dictionary.index(of: .string("é")), 0)
        XCTAssertEqual(dictionary.index(of: .string("e\u{301}")), 1, "canonically equivalent, other bytes")
        XCTAssertEqual(dictionary.index(of: .string("é")), 0)
        XCTAssertEqual(dictionary.index(of: .string("")), 2)
        var numbers = ColumnDictionary()
        let quietNaN = Double.nan, payloadNaN = Double(bitPattern: Double.nan.bitPattern | 1)
        let values: [Double] = [0.0, -0.0, quietNaN, payloadNaN, quietNaN, 0.0]
        XCTAssertEqual(values.map { numbers.index(of: .double($0)) }, [0, 1, 2, 3, 2, 0])
    }
}
