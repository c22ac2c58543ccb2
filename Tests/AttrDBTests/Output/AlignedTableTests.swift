import XCTest
@testable import AttrDB

/// The `table` format people read: decimal points in a column line up, and a width limit keeps the
/// leading columns that fit.
final class AlignedTableTests: XCTestCase {
    private let rows: [[Cell]] = [
        [.text("a"), .double(1.5), .int(3)],
        [.text("bb"), .double(22.25), .int(-1)],
        [.text("c"), .int(3), .null],
        [.text("d"), .double(-0.125), .int(70)],
    ]

    func testDecimalPointsLineUpAndIntegersEndWhereThePointWouldBe() {
        XCTAssertEqual(AlignedTable.render(columns: ["name", "v", "n"], rows: rows, digits: 6), """
            name       v   n
            ────  ──────  ──
            a      1.5     3
            bb    22.25   -1
            c      3
            d     -0.125  70

            """)
    }

    func testTheLastColumnIsAlignedWithoutTrailingSpaces() {
        let text = AlignedTable.render(columns: ["v"], rows: [[.double(0.5)], [.double(10)], [.double(-2.75)]], digits: 6)
        XCTAssertEqual(text, "    v\n─────\n 0.5\n10\n-2.75\n")
    }

    func testAWidthLimitKeepsTheLeadingColumnsThatFitAndCountsTheRest() {
        let fitted = AlignedTable.render(columns: ["name", "v", "n"], rows: rows, digits: 6, maxWidth: 13)
        XCTAssertEqual(fitted, AlignedTable.Rendered(text: "name       v\n────  ──────\na      1.5\nbb    22.25\nc      3\nd     -0.125\n", hiddenColumns: 1))
        XCTAssertEqual(AlignedTable.render(columns: ["name", "v", "n"], rows: rows, digits: 6, maxWidth: 16).hiddenColumns, 0)
        // The first column stays even when it alone is wider.
        XCTAssertEqual(AlignedTable.render(columns: ["name", "v", "n"], rows: rows, digits: 6, maxWidth: 2),
                       AlignedTable.Rendered(text: "name\n────\na\nbb\nc\nd\n", hiddenColumns: 2))
    }
}
