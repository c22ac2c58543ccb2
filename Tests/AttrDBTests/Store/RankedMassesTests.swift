import XCTest
@testable import AttrDB

/// Issue 13 §1 at 10¹⁰: each matrix's largest `abs` sums with their positions
/// (schema/0009_ranked_masses.sql) answer turnover without every component's sum. The ranking must
/// be the sort of every sum, the answers those of the sums, bit for bit, with the sums read
/// wherever the ranked ones cannot answer; `check` and the upgrade keep the rows honest.
final class RankedMassesTests: XCTestCase {
    /// The `summaries` problems `attrdb check` reports.
    private func checkProblems(_ store: Store) throws -> [String] {
        try StoreCheck.run(store).table.rows.filter { $0[0] == .text("summaries") && $0[1] == .text("problem") }.compactMap { row -> String? in
            if case .text(let text) = row[2] { return text }
            return nil
        }
    }

    func testRankedMassesAreTheLargestOfASortOfEverySum() throws {
        var generator = SeededGenerator(seed: 7)
        for (count, kept) in [(1, 4), (5, 5), (40, 8), (300, 32), (2000, 1024)] {
            // Few distinct values: ties everywhere, including across the bound.
            let sums = (0..<count).map { _ in Double(Int.random(in: 0..<max(2, count / 10), using: &generator)) / 4 }
            let ranked = try XCTUnwrap(RankedMasses(sums, ascending: sums.sorted(), kept: kept))
            let order = sums.indices.sorted { (sums[$0], -$0) > (sums[$1], -$1) }.prefix(kept)
            XCTAssertEqual(ranked.positions, order.map { Int32($0) }, "\(count) sums, \(kept) kept")
            XCTAssertEqual(ranked.masses, order.map { sums[$0] })
            XCTAssertEqual(ranked.componentCount, count)
            let decoded = ranked.bytes.withUnsafeBytes { RankedMasses(componentCount: count, bytes: $0) }
            XCTAssertEqual(decoded, ranked)
        }
        XCTAssertNil(RankedMasses([1, .nan, 2], ascending: [1, .nan, 2].sorted()))
        XCTAssertNil(RankedMasses([1, .infinity], ascending: [1, .infinity]))
        XCTAssertNil(RankedMasses([], ascending: []))
    }

    func testBytesThatAreNotRankedMassesDoNotDecode() {
        let good = RankedMasses(componentCount: 3, positions: [2, 0, 1], masses: [5, 3, 3])
        func decode(_ bytes: [UInt8], count: Int = 3) -> RankedMasses? {
            bytes.withUnsafeBytes { RankedMasses(componentCount: count, bytes: $0) }
        }
        XCTAssertEqual(decode(good.bytes), good)
        XCTAssertNil(decode(Array(good.bytes.dropLast())), "not whole entries")
        XCTAssertNil(decode(good.bytes, count: 2), "more entries than components")
        XCTAssertNil(decode([]), "no entry")
        XCTAssertNil(decode(RankedMasses(componentCount: 3, positions: [3], masses: [1]).bytes), "a position outside the matrix")
        XCTAssertNil(decode(RankedMasses(componentCount: 3, positions: [0, 1], masses: [1, 2]).bytes), "ascending")
        XCTAssertNil(decode(RankedMasses(componentCount: 3, positions: [1, 0], masses: [2, 2]).bytes), "a tie out of position order")
        XCTAssertNil(decode(RankedMasses(componentCount: 3, positions: [1], masses: [.nan]).bytes), "not finite")
    }

    /// 1 500 components, more than are ranked: four hold most of the mass and trade places, a fifth
    /// collapses from above the cut-off to nothing (its share after is not ranked), and 0.0001 reaches
    /// below the last ranked mass. Every cut-off and split gives the events of the sums.
    private func store(_ folder: TemporaryFolder) throws -> Store {
        let store = try Store(path: folder.path("s.sqlite"), access: .create)
        let components = (0..<1500).map { Component(label: "L\($0 % 6)N\($0 / 6)", layer: $0 % 6, kind: .neuron, index: $0 / 6) }
        let grid = (0..<16).map { Double($0) / 8 - 1 }
        let recorder = try Recorder(store: store, target: IngestTarget(run: "r", metric: "m"), components: components, coefficients: grid)
        var generator = SeededGenerator(seed: 13)
        for step in 0..<10 {
            try recorder.append(step: step * 10, values: components.indices.flatMap { p -> [Float] in
                var scale: Float = 1
                if p < 4 { scale = Float(100 * ((p + step) % 4 + 1)) }
                if p == 700 { scale = step % 3 == 0 ? 150 : 0 }
                return (0..<16).map { _ in scale * Float.random(in: -1...1, using: &generator) }
            })
        }
        try recorder.commit()
        return store
    }

    func testTurnoverFromRankedMassesIsTurnoverFromTheSums() throws {
        let folder = try TemporaryFolder()
        let store = try store(folder)
        let resolved = try ResolvedSelection(scan: try ScanSelection(store: store, run: "r"), selection: QuerySelection())
        var events = 0
        for cutoff in [0.0001, 0.001, 0.005, 0.02, 0.05, 0.2, 1] {
            let sums = try Turnover.events(resolved, cutoff: cutoff, minimumBytes: 0, ranked: false)
            XCTAssertEqual(sums.rows, Turnover.events(try ComponentMasses(resolved), cutoff: cutoff).rows, "cutoff \(cutoff)")
            for minimumBytes in [ParallelCheckpoints.minimumBytes, 0] {
                XCTAssertEqual(try Turnover.events(resolved, cutoff: cutoff, minimumBytes: minimumBytes).rows, sums.rows, "cutoff \(cutoff), split \(minimumBytes == 0)")
            }
            events += sums.rows.count
        }
        XCTAssertGreaterThan(events, 40)
    }

    /// The ranked masses are what turnover reads where they answer: a ranked mass changed in the
    /// store changes a printed share, and the component sums' answer does not move.
    func testTurnoverReadsTheRankedMasses() throws {
        let folder = try TemporaryFolder()
        let store = try store(folder)
        let resolved = try ResolvedSelection(scan: try ScanSelection(store: store, run: "r"), selection: QuerySelection())
        // At 0.1 the four large components trade places above it, each pair answered from the ranked masses.
        let before = try Turnover.events(resolved, cutoff: 0.1, minimumBytes: 0)
        let first = try XCTUnwrap(before.rows.first)
        let scan = resolved.scan
        let attribution = try XCTUnwrap(scan.checkpoints.first { $0.step == first.step }?.attributionID)
        let reader = try RankedMassesReader(connection: store.connection, statistic: .abs)
        let ranked = try XCTUnwrap(try reader.read(attributionID: attribution))
        var tampered = ranked
        let i = try XCTUnwrap(ranked.positions.firstIndex(of: Int32(try scan.componentIndex(first.component.label))))
        tampered.masses[i] = tampered.masses[i].nextDown  // still in order unless it ties the next: checked below
        try XCTSkipUnless(i + 1 == tampered.masses.count || tampered.masses[i] > tampered.masses[i + 1])
        try store.connection.run("UPDATE summary_ranked SET ranked = ? WHERE attribution_id = ? AND statistic = 'abs'",
                                     [.blob(tampered.bytes), .integer(attribution)])
        let after = try Turnover.events(resolved, cutoff: 0.1, minimumBytes: 0)
        XCTAssertNotEqual(after.rows.first?.shareAfter, first.shareAfter)
        XCTAssertEqual(try Turnover.events(resolved, cutoff: 0.1, minimumBytes: 0, ranked: false).rows, before.rows)
        // A row claiming more components than the run has, with a position past its last, is not read.
        let wider = RankedMasses(componentCount: 5000, positions: [4999] + ranked.positions, masses: [1e9] + ranked.masses)
        try store.connection.run("UPDATE summary_ranked SET n_components = 5000, ranked = ? WHERE attribution_id = ? AND statistic = 'abs'",
                                 [.blob(wider.bytes), .integer(attribution)])
        XCTAssertEqual(try Turnover.events(resolved, cutoff: 0.1, minimumBytes: 0).rows, before.rows)
        try store.connection.run("UPDATE summary_ranked SET n_components = ?, ranked = ? WHERE attribution_id = ? AND statistic = 'abs'",
                                 [.integer(Int64(ranked.componentCount)), .blob(tampered.bytes), .integer(attribution)])
        // And `check` names the row.
        let problems = try checkProblems(store)
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems.first?.contains("ranked 'abs' mass \(i + 1) is position \(ranked.positions[i]) with \(tampered.masses[i]) in the store") == true,
                      problems.joined(separator: "\n"))
    }

    func testCheckNamesMissingRankedMassesAndTheUpgradeAddsThem() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        var expected: [String] = []
        func rows(_ db: Connection) throws -> [String] {
            var out: [String] = []
            try db.forEachRow("SELECT attribution_id, statistic, n_components, hex(ranked) FROM summary_ranked ORDER BY attribution_id") {
                out.append("\($0.int64(at: 0)) \($0.string(at: 1)) \($0.int64(at: 2)) \($0.string(at: 3))")
            }
            return out
        }
        do {
            let store = try store(folder)
            expected = try rows(store.connection)
            XCTAssertEqual(expected.count, 10)
            try store.connection.execute("DELETE FROM summary_ranked WHERE attribution_id = (SELECT min(attribution_id) FROM attribution)")
            let problems = try checkProblems(store)
            XCTAssertEqual(problems.count, 1)
            XCTAssertTrue(problems.first?.hasSuffix("no ranked 'abs' masses") == true, problems.joined(separator: "\n"))
            // Back to schema 8: no table.
            try store.connection.execute("DROP TABLE summary_ranked; PRAGMA user_version = 8")
        }
        let store = try Store(path: path, access: .write)
        XCTAssertEqual(try store.schemaVersion(), Migration.latestVersion)
        XCTAssertEqual(try rows(store.connection), expected)
        XCTAssertEqual(try StoreCheck.run(store).problems, 0)
    }
}
