import Foundation
import XCTest

/// A row attrdb never writes, edited in by another SQLite client, makes every reader stop with the
/// damaged-store status (2) and a message naming the run and the row.
final class DamagedRowCommandTests: XCTestCase {
    func testAnUnknownComponentKindStopsReadersWithStatus2() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        _ = try CLI.python("""
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.execute("PRAGMA ignore_check_constraints = 1")
            c.execute("UPDATE component SET kind = 'mystery' WHERE label = 'L0H0'")
            c.commit()
            """, [db])
        let message = "attrdb: \(db): the store is damaged: run 'modadd', component 'L0H0' has kind 'mystery', which attrdb does not write (embed, pos_embed, attn_head, mlp, neuron, bias); run 'attrdb check'\n"
        for command in [["top"], ["capacity"], ["profile", "--component", "L0H1"]] {
            let result = try CLI.run(command + ["--run", "modadd", "--db", db])
            XCTAssertEqual(result.status, 2, "\(command): \(result.stderr)")
            XCTAssertEqual(result.stderr, message, "\(command)")
            XCTAssertEqual(result.stdout, "", "\(command)")
        }
    }
}
