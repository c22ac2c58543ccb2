import XCTest
@testable import AttrDB

/// Concentration, norm growth and clusters computed from the store, against numpy on the same data.
final class QueryOracleTests: XCTestCase {
    func testConcentrationMatchesNumpyOracle() throws {
        let example = try ExampleStore()
        let table = ConcentrationTable(try ComponentMasses(try example.resolved()), top: 10)
        let oracle = try ExampleStore.oracle("oracle_concentration.csv")
        XCTAssertEqual(table.columns.map(\.name), ["checkpoint_step", "entropy", "effective_components", "gini", "top_10_share"])
        XCTAssertEqual(table.rows.count, oracle.count)
        for (row, want) in zip(table.rows, oracle) {
            XCTAssertEqual(row.step, Int(want["checkpoint_step"] ?? "") ?? -1)
            assertClose(row.entropy ?? .nan, Double(want["entropy"] ?? "") ?? .nan, "entropy")
            assertClose(row.effectiveComponents ?? .nan, Double(want["effective_components"] ?? "") ?? .nan, "effective")
            assertClose(row.gini ?? .nan, Double(want["gini"] ?? "") ?? .nan, "gini")
        }
    }

    func testTopKShareAgainstNumpy() throws {
        let example = try ExampleStore()
        let table = ConcentrationTable(try ComponentMasses(try example.resolved()), top: 3)
        let output = try python("""
            import numpy as np, sys
            a = np.abs(np.load(sys.argv[1]).astype(np.float64)).sum(axis=1)
            s = a / a.sum(axis=1, keepdims=True)
            print(' '.join(repr(float(x)) for x in np.sort(s, axis=1)[:, -3:].sum(axis=1)))
            """, arguments: [Repository.example.appendingPathComponent("attributions.npy").path])
        let expected = output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(expected.count, table.rows.count)
        for (row, want) in zip(table.rows, expected) { assertClose(row.topShare ?? .nan, want) }
    }

    func testResidualNormGrowthMatchesNumpyOracle() throws {
        let example = try ExampleStore()
        let table = try NormGrowth.residual(store: example.store, run: "modadd", checkpoints: .all, wide: true)
        let oracle = try ExampleStore.oracle("oracle_norm_growth.csv")
        XCTAssertEqual(table.columns.map(\.name), ["checkpoint_step", "growth_pct_per_layer", "resid_pre_0", "resid_pre_1", "resid_post_2"])
        XCTAssertEqual(table.rows.count, oracle.count)
        for (row, want) in zip(table.rows, oracle) {
            XCTAssertEqual(row.step, Int(want["checkpoint_step"] ?? "") ?? -1)
            assertClose(row.growthPercentPerLayer ?? .nan, Double(want["growth_pct_per_layer"] ?? "") ?? .nan)
        }
        XCTAssertEqual(table.rows[0].norms[0], 1.15497077)
    }

    func testWOVNormsListEveryHeadWithGrowthOverLayers() throws {
        let example = try ExampleStore()
        let table = try NormGrowth.wov(store: example.store, run: "modadd", checkpoints: .last)
        XCTAssertEqual(table.rows.count, 8)
        let output = try python("""
            import csv, numpy as np, sys
            rows = [r for r in csv.DictReader(open(sys.argv[1])) if r['checkpoint_step'] == '4000']
            slope = np.polyfit([float(r['layer']) for r in rows], np.log([float(r['frobenius_norm']) for r in rows]), 1)[0]
            print(repr(float(100 * np.expm1(slope))))
            """, arguments: [Repository.example.appendingPathComponent("wov_norms.csv").path])
        assertClose(table.rows[0].growthPercentPerLayer ?? .nan, Double(output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan)
    }

    func testKMeansClustersAgreeWithNumpyFromTheSameInitialCentroids() throws {
        let example = try ExampleStore()
        let resolved = try example.resolved(QuerySelection(checkpoints: .last))
        let clusters = try Clusters(resolved, k: 3, method: .kmeans, distance: .euclidean, seed: 7, minMass: 0)
        // The same z-normalised profiles and k-means++ seeds, handed to numpy's own Lloyd iterations.
        let matrix = try readLastCheckpoint(resolved)
        let profiles = matrix.map { ZNormalizedProfile($0).values }
        var generator = SeededGenerator(seed: 7)
        let seeds = try kMeansPlusPlusSeeds(profiles, k: 3, using: &generator)
        let output = try python("""
            import numpy as np, sys, json
            a = np.load(sys.argv[1]).astype(np.float64)[-1].T
            z = (a - a.mean(axis=1, keepdims=True))
            sd = a.std(axis=1, keepdims=True)
            z = np.where(sd > 0, z / np.where(sd > 0, sd, 1), 0)
            c = z[json.loads(sys.argv[2])]
            for _ in range(300):
                d = ((z[:, None, :] - c[None, :, :]) ** 2).sum(axis=2)
                labels = d.argmin(axis=1)
                new = np.array([z[labels == j].mean(axis=0) for j in range(len(c))])
                if np.allclose(new, c, rtol=0, atol=0): break
                c = new
            print(' '.join(map(str, labels)))
            """, arguments: [Repository.example.appendingPathComponent("attributions.npy").path, "\(seeds)"])
        let numpyLabels = output.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let labelOf = Dictionary(uniqueKeysWithValues: clusters.members.rows.map { ($0.component.label, $0.cluster) })
        let ours = try resolved.scan.components.map { labelOf[$0.label] ?? -1 }
        XCTAssertEqual(numpyLabels.count, ours.count)
        XCTAssertGreaterThanOrEqual(try adjustedRandIndex(ours, numpyLabels), 0.99)
    }

    func testMinMassLeavesComponentsOutAndCountsThem() throws {
        let example = try ExampleStore()
        let resolved = try example.resolved(QuerySelection(checkpoints: .last))
        let masses = try ComponentMasses(resolved).masses[0]
        let threshold = masses.sorted()[4]
        let clusters = try Clusters(resolved, k: 2, method: .hierarchical, distance: .correlation, seed: 0, minMass: threshold)
        XCTAssertEqual(clusters.leftOut, 4)
        XCTAssertEqual(clusters.members.rows.count, masses.count - 4)
        XCTAssertEqual(Set(clusters.centroids.rows.map(\.cluster)).count, 2)
    }

    private func readLastCheckpoint(_ resolved: ResolvedSelection) throws -> [[Double]] {
        let scan = resolved.scan
        var buffer = [Float](repeating: 0, count: scan.valuesPerCheckpoint)
        try buffer.withUnsafeMutableBufferPointer { try scan.matrixReader().read(checkpoint: scan.checkpoints.count - 1, into: $0) }
        let n = scan.coefficients.count
        return (0..<scan.layers.count).map { p in (0..<n).map { Double(buffer[p * n + $0]) } }
    }
}
