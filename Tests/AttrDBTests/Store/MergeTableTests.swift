import XCTest
@testable import AttrDB

/// The merge copies every table of the schema: the tables a migration adds must be named in
/// ``MergeTable/all`` (or mapped by code of their own), or a merge would silently drop their rows.
final class MergeTableTests: XCTestCase {
    func testEveryTableOfTheSchemaIsMerged() throws {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        var tables: Set<String> = []
        try store.connection.forEachRow("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
            tables.insert($0.value(at: 0).string ?? "")
        }
        let merged = MergeTable.mapped.union(MergeTable.all.map(\.name))
        XCTAssertEqual(tables.subtracting(merged), [], "tables no merge copies: add each to MergeTable.all")
        XCTAssertEqual(merged.subtracting(tables), [], "MergeTable names tables the schema does not have")
    }

    func testEveryListedTableHasItsParentAndKeyColumns() throws {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        for table in MergeTable.all {
            var columns: Set<String> = []
            try store.connection.forEachRow("SELECT name FROM pragma_table_info(?)", [.text(table.name)]) { columns.insert($0.value(at: 0).string ?? "") }
            XCTAssertTrue(columns.isSuperset(of: [table.parent.column] + table.key), "\(table.name) has columns \(columns.sorted())")
        }
    }
}
