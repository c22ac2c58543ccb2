import XCTest
@testable import AttrDB

final class RunRegistryTests: XCTestCase {
    private func storeWithRuns(_ names: [String]) throws -> (Store, TemporaryFolder) {
        let folder = try TemporaryFolder()
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        for name in names {
            try store.connection.run("INSERT INTO run (name, model, created_at, status) VALUES (?, 'tiny', '2026-01-01T00:00:00Z', 'complete')", [.text(name)])
        }
        return (store, folder)
    }

    func testTagsAreSetReplacedAndRemoved() throws {
        let (store, folder) = try storeWithRuns(["modadd"])
        defer { withExtendedLifetime(folder) {} }
        try store.tag(run: "modadd", set: [("seed", "1"), ("note", "a;b 'c' \"d\"\nline")], remove: [])
        try store.tag(run: "modadd", set: [("seed", "2")], remove: ["missing"])
        XCTAssertEqual(try store.run(named: "modadd").tags, ["seed": "2", "note": "a;b 'c' \"d\"\nline"])
        try store.tag(run: "modadd", set: [], remove: ["seed"])
        XCTAssertEqual(try store.run(named: "modadd").tags, ["note": "a;b 'c' \"d\"\nline"])
    }

    func testUnknownRunListsClosestNames() throws {
        let (store, folder) = try storeWithRuns(["modadd-seed1", "modadd-seed2", "induction"])
        defer { withExtendedLifetime(folder) {} }
        XCTAssertThrowsError(try store.run(named: "modad-seed1")) { error in
            guard case .unknownRun(let name, let suggestions)? = error as? StoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "modad-seed1")
            XCTAssertEqual(suggestions.first, "modadd-seed1")
        }
    }

    func testDeleteRemovesRunAndItsRows() throws {
        let (store, folder) = try storeWithRuns(["a", "b"])
        defer { withExtendedLifetime(folder) {} }
        try store.connection.run("INSERT INTO checkpoint (run_id, step) SELECT run_id, 10 FROM run WHERE name = 'a'")
        try store.tag(run: "a", set: [("k", "v")], remove: [])
        try store.deleteRun(named: "a")
        XCTAssertEqual(try store.runs().map(\.run.name), ["b"])
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM checkpoint"), .integer(0))
        XCTAssertEqual(try store.connection.scalar("SELECT count(*) FROM run_tag"), .integer(0))
    }

    func testHostileNamesAreStoredVerbatim() throws {
        let names = ["x'); DROP TABLE run; --", "名前 🧪", "semi;colon", "new\nline", "\"quoted\""]
        let (store, folder) = try storeWithRuns(names)
        defer { withExtendedLifetime(folder) {} }
        XCTAssertEqual(Set(try store.runs().map(\.run.name)), Set(names))
        for name in names { XCTAssertEqual(try store.run(named: name).name, name) }
    }
}
