import XCTest
@testable import AttrDB

/// Every typed result: its rows' cells match its declared columns, every column says what it
/// means, and consumers read rows by property.
final class TypedResultTests: XCTestCase {
    /// What is wrong with a result's rows against its columns: a count or a type out of place.
    func problems<Result: TabularResult>(_ result: Result) -> [String] {
        let columns = result.columns
        var found: [String] = []
        for (index, row) in result.rows.enumerated() {
            let cells = row.cells
            if cells.count != columns.count {
                found.append("\(Result.self) row \(index): \(cells.count) cells for \(columns.count) columns")
                continue
            }
            for (column, cell) in zip(columns, cells) where !column.admits(cell) {
                found.append("\(Result.self) row \(index): column \(column.name) (\(column.type.rawValue)) holds \(cell)")
            }
        }
        return found
    }

    func assertConforms<Result: TabularResult>(_ result: Result, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.rows.isEmpty, "\(Result.self) has no rows to check", file: file, line: line)
        XCTAssertEqual(problems(result), [], file: file, line: line)
        let table = ResultTable(result)
        XCTAssertEqual(table.columns, result.columns.map(\.name), file: file, line: line)
        XCTAssertEqual(table.types, result.columns.map(\.type), file: file, line: line)
        XCTAssertEqual(Set(table.columns).count, table.columns.count, "\(Result.self): repeated column names \(table.columns)", file: file, line: line)
        // What the text formats write: each row streamed and its cells appended to one array after
        // what is already there (the run column), the very cells of the table.
        var streamed: [[Cell]] = []
        result.forEachRow { row in
            var cells: [Cell] = [.text("run")]
            row.appendCells(to: &cells)
            streamed.append(Array(cells.dropFirst()))
        }
        XCTAssertEqual(streamed, table.rows, "\(Result.self): streamed rows", file: file, line: line)
    }

    func testEveryResultsCellsMatchItsDeclaredColumns() throws {
        let example = try ExampleStore()
        let all = try example.resolved()
        let last = try example.resolved(QuerySelection(checkpoints: .last))
        let masses = try ComponentMasses(all)
        for grouping in Capacity.Grouping.allCases {
            assertConforms(Capacity(masses, by: grouping))
            assertConforms(try Capacity(all, by: grouping))
            assertConforms(CapacityWide(masses, by: grouping))
        }
        assertConforms(try Comparison.capacity(all, try example.resolved(QuerySelection(checkpoints: .range(0, 1000))), alignment: .nearest))
        let atZero = try TopComponents(try example.resolved(QuerySelection(checkpoints: .all, coefficients: .nearest(0))), k: 5)
        let mean = try TopComponents(try example.resolved(QuerySelection(checkpoints: .last, coefficients: .range(-2, 2))), k: 5)
        assertConforms(atZero)
        assertConforms(mean)
        let profiles = try Profiles(all, components: ["L0H0", "embed"])
        assertConforms(profiles)
        assertConforms(try ProfileSummaries(profiles))
        let clusters = try Clusters(last, k: 3, method: .kmeans, distance: .euclidean, seed: 0, minMass: 0)
        assertConforms(clusters.members)
        assertConforms(clusters.centroids)
        assertConforms(Turnover.events(masses, cutoff: 0.05))
        assertConforms(Turnover.summary(masses, cutoff: 0.05))
        assertConforms(ConcentrationTable(masses, top: 3))
        assertConforms(try NormGrowth.residual(store: example.store, run: "modadd", checkpoints: .all, wide: false))
        assertConforms(try NormGrowth.residual(store: example.store, run: "modadd", checkpoints: .all, wide: true))
        assertConforms(try NormGrowth.wov(store: example.store, run: "modadd", checkpoints: .all))
        let early = try ComponentMasses(try example.resolved(QuerySelection(checkpoints: .range(0, 1000))))
        assertConforms(Comparison.capacity(masses, early, alignment: .nearest))
        assertConforms(Comparison.top(atZero, mean, alignment: .nearest))
        assertConforms(RunTables.runs(try example.store.runs()))
        assertConforms(RunTables.details(try example.store.details(ofRun: "modadd")))
        assertConforms(try StoreTables.checkpoints(store: example.store, run: "modadd"))
        assertConforms(try StoreTables.components(store: example.store, run: "modadd"))
        assertConforms(try StoreTables.losses(store: example.store, run: "modadd"))
        assertConforms(ColumnCatalog())
    }

    /// The cells under `name`, read from the output table by the column's name.
    func column<Result: TabularResult>(_ result: Result, _ name: String, file: StaticString = #filePath, line: UInt = #line) -> [Cell] {
        let table = ResultTable(result)
        guard let index = table.column(name) else {
            XCTFail("\(Result.self) has no column \(name)", file: file, line: line)
            return []
        }
        return table.rows.map { $0[index] }
    }

    /// Columns of the same type swapped would pass the type check: the ones a reader compares are
    /// checked by name against the rows' properties.
    func testColumnsHoldTheirPropertiesByName() throws {
        let example = try ExampleStore()
        let masses = try ComponentMasses(try example.resolved())
        let capacity = Capacity(masses, by: .component)
        XCTAssertEqual(column(capacity, "mass"), capacity.rows.map { .double($0.mass) })
        XCTAssertEqual(column(capacity, "share"), capacity.rows.map { .double($0.share) })
        XCTAssertEqual(column(capacity, "component"), capacity.rows.map { .text($0.component ?? "") })
        XCTAssertEqual(column(capacity, "kind"), capacity.rows.map { .text($0.kind?.rawValue ?? "") })
        let top = try TopComponents(try example.resolved(QuerySelection(checkpoints: .all, coefficients: .nearest(0))), k: 5)
        XCTAssertEqual(column(top, "rank"), top.rows.map { .int($0.rank) })
        XCTAssertEqual(column(top, "layer"), top.rows.map { .int($0.component.layer) })
        XCTAssertEqual(column(top, "value"), top.rows.map { .float(Float($0.value)) })
        XCTAssertEqual(column(top, "share"), top.rows.map { .double($0.share) })
        XCTAssertEqual(column(top, "rank_change"), top.rows.map { $0.rankChange.map(Cell.int) ?? .null })
        let concentration = ConcentrationTable(masses, top: 3)
        XCTAssertEqual(column(concentration, "entropy"), concentration.rows.map { .double($0.entropy ?? .nan) })
        XCTAssertEqual(column(concentration, "effective_components"), concentration.rows.map { .double($0.effectiveComponents ?? .nan) })
        XCTAssertEqual(column(concentration, "gini"), concentration.rows.map { .double($0.gini ?? .nan) })
        XCTAssertEqual(column(concentration, "top_3_share"), concentration.rows.map { .double($0.topShare ?? .nan) })
        let events = Turnover.events(masses, cutoff: 0.05)
        XCTAssertEqual(column(events, "share_before"), events.rows.map { .double($0.shareBefore) })
        XCTAssertEqual(column(events, "share_after"), events.rows.map { .double($0.shareAfter) })
        XCTAssertEqual(column(events, "checkpoint_step"), events.rows.map { .int($0.step) })
        XCTAssertEqual(column(events, "previous_step"), events.rows.map { .int($0.previousStep) })
        let summary = Turnover.summary(masses, cutoff: 0.05)
        XCTAssertEqual(column(summary, "priced_out"), summary.rows.map { .int($0.pricedOut.count) })
        XCTAssertEqual(column(summary, "entered"), summary.rows.map { .int($0.entered.count) })
        XCTAssertEqual(column(summary, "above_at_first"), summary.rows.map { .int($0.aboveAtFirst) })
        let profiles = try ProfileSummaries(try Profiles(try example.resolved(), components: ["L0H0"]))
        XCTAssertEqual(column(profiles, "min"), profiles.rows.map { .double($0.summary.minimum) })
        XCTAssertEqual(column(profiles, "max"), profiles.rows.map { .double($0.summary.maximum) })
        XCTAssertEqual(column(profiles, "saturation_negative"), profiles.rows.map { $0.summary.saturation.negative.map(Cell.double) ?? .null })
        XCTAssertEqual(column(profiles, "saturation_positive"), profiles.rows.map { $0.summary.saturation.positive.map(Cell.double) ?? .null })
        let comparison = Comparison.capacity(masses, masses, alignment: .exact)
        XCTAssertEqual(column(comparison, "share_a"), comparison.rows.map { .double($0.shareA) })
        XCTAssertEqual(column(comparison, "share_b"), comparison.rows.map { .double($0.shareB) })
        XCTAssertTrue(comparison.rows.allSatisfy { $0.difference == 0 })
    }

    /// A concentration row with no measures (every mass 0) is null past the step, as its columns allow.
    func testEmptyMeasuresAreNullWhereTheColumnsAllowIt() {
        let concentration = ConcentrationTable(top: 10, rows: [ConcentrationRow(step: 1, entropy: nil, effectiveComponents: nil, gini: nil, topShare: nil)])
        assertConforms(concentration)
        XCTAssertEqual(ResultTable(concentration).rows, [[.int(1), .null, .null, .null, .null]])
    }

    /// The check above catches a row whose cells are out of the columns' order or count.
    func testACellInTheWrongPlaceIsCaught() {
        struct Swapped: ResultRow {
            static let documentedColumns = [ResultColumn("step", .integer, meaning: "a step"), ResultColumn("label", .text, meaning: "a label")]
            var cells: [Cell] { [.text("L0H0"), .int(4)] }
        }
        struct Extra: ResultRow {
            static let documentedColumns = [ResultColumn("step", .integer, meaning: "a step")]
            var cells: [Cell] { [.int(4), .double(0.5)] }
        }
        struct Results<Row: ResultRow>: TabularResult { var rows: [Row] }
        XCTAssertEqual(problems(Results(rows: [Swapped()])).count, 2)
        XCTAssertEqual(problems(Results(rows: [Extra()])).count, 1)
    }

    /// Every column of every result says what it means, and the catalog holds every result's columns.
    func testEveryColumnHasAMeaning() {
        let rowTypes: [any ResultRow.Type] = [
            CapacityRow.self, CapacityWideRow.self, TopComponentRow.self, ProfileRow.self, ProfileSummaryRow.self,
            ClusterMemberRow.self, ClusterCentroidRow.self, TurnoverEventRow.self, TurnoverSummaryRow.self, ConcentrationRow.self,
            ResidualNormRow.self, WOVNormRow.self, CapacityComparisonRow.self, TopComparisonRow.self, RunSummary.self, RunFact.self,
            CheckpointListRow.self, ComponentListRow.self, CheckpointStatisticsRow.self, ColumnCatalogRow.self,
        ]
        for type in rowTypes {
            for column in type.documentedColumns {
                XCTAssertGreaterThanOrEqual(column.meaning.trimmingCharacters(in: .whitespaces).count, 10, "\(type).\(column.name): \(column.meaning)")
                if let unit = column.unit { XCTAssertFalse(unit.isEmpty, "\(type).\(column.name)") }
            }
            if type != ColumnCatalogRow.self {
                XCTAssertTrue(ColumnCatalog.entries.contains { $0.columns == type.documentedColumns }, "\(type) is not in the column catalog")
            }
        }
        for entry in ColumnCatalog.entries {
            XCTAssertFalse(entry.columns.isEmpty, entry.command)
            for column in entry.columns { XCTAssertFalse(column.meaning.isEmpty, "\(entry.command) \(column.name)") }
        }
    }

    /// The columns a researcher asks about say what they are divided by and which sign means what.
    func testTheSubtleColumnsSayTheirDenominatorAndSign() throws {
        func meaning(_ command: String, _ column: String) throws -> String {
            try XCTUnwrap(ColumnCatalog.entries.first { $0.command == command }?.columns.first { $0.name == column }?.meaning, "\(command) \(column)")
        }
        XCTAssertTrue(try meaning("capacity", "share").contains("/ the total mass of every selected component"))
        XCTAssertTrue(try meaning("capacity", "mass").contains("|value|"))
        XCTAssertTrue(try meaning("top", "share").contains("/ the sum of |value| over every selected component"))
        XCTAssertTrue(try meaning("top", "rank_change").contains("positive means the component rose"))
        XCTAssertTrue(try meaning("profile --summary", "saturation").contains("nearer 0"))
        XCTAssertTrue(try meaning("concentration", "top_k_share").contains("top_10_share"))
        XCTAssertTrue(try meaning("concentration", "effective_components").contains("exp(entropy)"))
        XCTAssertTrue(try meaning("concentration", "gini").contains("0 when all are equal"))
        XCTAssertTrue(try meaning("norms", "growth_pct_per_layer").contains("negative: shrinks"))
        XCTAssertTrue(try meaning("compare", "difference").contains("share_b − share_a"))
        XCTAssertEqual(ColumnCatalog.entries.first { $0.command == "concentration" }?.columns.first { $0.name == "entropy" }?.unit, "nats")
    }

    /// `compare --what top` takes each run's component and value from the top rows' properties:
    /// read back by column name from each run's own `top` table, they are the same.
    func testCompareTopReadsComponentAndValueByName() throws {
        let example = try ExampleStore()
        let a = try TopComponents(try example.resolved(QuerySelection(checkpoints: .last, coefficients: .nearest(0))), k: 4)
        let b = try TopComponents(try example.resolved(QuerySelection(checkpoints: .last, coefficients: .nearest(3))), k: 4)
        let comparison = ResultTable(Comparison.top(a, b, alignment: .exact))
        XCTAssertEqual(comparison.rows.count, 4)
        func cell(_ table: ResultTable, _ row: [Cell], _ name: String) throws -> Cell { row[try XCTUnwrap(table.column(name), name)] }
        for (side, top) in [("a", ResultTable(a)), ("b", ResultTable(b))] {
            for row in comparison.rows {
                let rank = try cell(comparison, row, "rank")
                let topRow = try XCTUnwrap(top.rows.first { (try? cell(top, $0, "rank")) == rank })
                XCTAssertEqual(try cell(comparison, row, "component_\(side)"), try cell(top, topRow, "component"))
                XCTAssertEqual(try cell(comparison, row, "value_\(side)"), try cell(top, topRow, "value"))
            }
        }
        let same = Comparison.top(a, a, alignment: .exact)
        XCTAssertTrue(same.rows.allSatisfy(\.same))
        XCTAssertEqual(same.rows.map { $0.a?.component.label }, a.rows.map(\.component.label))
    }

    /// The wide capacity table names its layers as the plots do.
    func testWideCapacityNamesLayersAsThePlotsDo() throws {
        let example = try ExampleStore()
        let masses = try ComponentMasses(try example.resolved())
        let wide = CapacityWide(masses, by: .layer)
        XCTAssertEqual(wide.groups, ["embed", "layer 0", "layer 1", "bias"])
        XCTAssertEqual(Plots.capacity(masses, run: "modadd", metric: "logit_diff").rowLabels, wide.groups)
        // Each share is the long table's share of the same checkpoint and layer, bit for bit.
        let long = Capacity(masses, by: .layer)
        for (c, row) in wide.rows.enumerated() {
            XCTAssertEqual(row.shares, long.rows[(c * wide.groups.count)..<((c + 1) * wide.groups.count)].map(\.share))
        }
    }

    /// Two layers that would both be called `embed` keep their numbers: column names stay unique.
    func testRepeatedLayerNamesFallBackToNumbers() {
        let components = [Component(label: "embed", layer: -2, kind: .embed), Component(label: "pos_embed", layer: -1, kind: .posEmbed),
                          Component(label: "L0H0", layer: 0, kind: .attnHead, index: 0)]
        XCTAssertEqual(Capacity.groupsOf(components, by: .layer).map(\.name), ["layer -2", "layer -1", "layer 0"])
    }
}
