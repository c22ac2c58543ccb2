import XCTest
@testable import AttrDB

final class CapacityOracleTests: XCTestCase {
    func testCapacityByLayerMatchesNumpyOracle() throws {
        let example = try ExampleStore()
        let table = Capacity(try ComponentMasses(try example.resolved()), by: .layer)
        let oracle = try ExampleStore.oracle("oracle_capacity.csv")
        XCTAssertEqual(table.rows.count, oracle.count)
        for (row, expected) in zip(table.rows, oracle) {
            XCTAssertEqual(row.step, Int(expected["checkpoint_step"] ?? "") ?? -99)
            XCTAssertEqual(row.layer, Int(expected["layer"] ?? "") ?? -99)
            assertClose(row.mass, Double(expected["mass"] ?? "") ?? .nan, "mass")
            assertClose(row.share, Double(expected["share"] ?? "") ?? .nan, "share")
        }
    }

    func testGroupingsAndModesAgreeWithEachOther() throws {
        let example = try ExampleStore()
        let all = try example.resolved(QuerySelection(checkpoints: .last))
        let byComponent = Capacity(try ComponentMasses(all), by: .component)
        let byKind = Capacity(try ComponentMasses(all), by: .kind)
        // The kind table is the component table summed by kind.
        for kindRow in byKind.rows {
            let sum = byComponent.rows.filter { $0.kind == kindRow.kind }.reduce(0.0) { $0 + $1.mass }
            assertClose(kindRow.mass, sum, relative: 1e-12)
        }
        let shares = byKind.rows.reduce(0.0) { $0 + $1.share }
        assertClose(shares, 1, relative: 1e-12)
        let heads = Capacity(try ComponentMasses(all), by: .head)
        XCTAssertEqual(heads.rows.count, 8)
        XCTAssertTrue(heads.rows.allSatisfy { $0.kind == .attnHead })
    }

    func testSignedSquaredAndCoefficientRangeAgainstNumpy() throws {
        let example = try ExampleStore()
        let script = """
            import numpy as np, json, sys
            a = np.load(sys.argv[1]).astype(np.float64)
            axes = json.load(open(sys.argv[2]))
            c = np.array(axes['coefficients'])
            sel = (c >= -2) & (c <= 3)
            last = a[-1][sel]
            layers = np.array([x['layer'] for x in axes['components']])
            for mode, f in (('signed', lambda v: v), ('squared', lambda v: v * v)):
                per = f(last).sum(axis=0)
                print(mode, ' '.join(repr(float(per[layers == l].sum())) for l in sorted(set(layers))))
            """
        let output = try python(script, arguments: [Repository.example.appendingPathComponent("attributions.npy").path,
                                                    Repository.example.appendingPathComponent("axes.json").path])
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            let mode = MassMode(rawValue: String(parts[0])) ?? .absolute
            let selection = QuerySelection(checkpoints: .last, coefficients: .range(-2, 3))
            let table = Capacity(try ComponentMasses(try example.resolved(selection), mode: mode), by: .layer)
            XCTAssertEqual(table.rows.count, parts.count - 1)
            for (row, expected) in zip(table.rows, parts.dropFirst()) {
                assertClose(row.mass, Double(expected) ?? .nan, "\(mode)")
            }
        }
    }
}
