import AttrDB
import Foundation
import XCTest

final class KMeansTests: XCTestCase {
    func testHandComputedRun() throws {
        // Start [0], [1]: {0} vs {1, 10, 11} → centroids 0, 22/3 → {0, 1} vs {10, 11} → 0.5, 10.5, stable.
        let result = try kMeans([[0], [1], [10], [11]], initialCentroids: [[0], [1]])
        XCTAssertEqual(result.assignments, [0, 0, 1, 1])
        XCTAssertEqual(result.centroids, [[0.5], [10.5]])
        XCTAssertEqual(result.inertia, 1, accuracy: 1e-15)
        XCTAssertEqual(result.iterations, 2)
        XCTAssertTrue(result.converged)
    }

    func testTiesGoToTheLowestCentroid() throws {
        let result = try kMeans([[5]], initialCentroids: [[0]], maxIterations: 0)
        XCTAssertEqual(result.assignments, [0])
        let tie = try kMeans([[5], [0], [10]], initialCentroids: [[0], [10]], maxIterations: 0)
        XCTAssertEqual(tie.assignments, [0, 0, 1])
        XCTAssertEqual(tie.iterations, 0)
        XCTAssertFalse(tie.converged)
    }

    func testEmptyClusterTakesTheFarthestProfile() throws {
        // Everything starts nearest [0]; cluster 1 takes [10], the profile farthest from its centroid.
        let result = try kMeans([[0], [1], [2], [10]], initialCentroids: [[0], [100]])
        XCTAssertEqual(result.assignments, [0, 0, 0, 1])
        XCTAssertEqual(result.centroids, [[1], [10]])
        XCTAssertEqual(result.inertia, 2, accuracy: 1e-15)
        XCTAssertEqual(result.iterations, 1)
        XCTAssertTrue(result.converged)
    }

    func testFewerDistinctProfilesThanClustersStops() throws {
        let result = try kMeans([[0], [0], [0]], k: 3, seed: 5, maxIterations: 10)
        XCTAssertFalse(result.converged)
        XCTAssertEqual(result.iterations, 10)
        XCTAssertEqual(result.inertia, 0)
    }

    func testSeedingIsDeterministicAndDistinct() throws {
        let profiles: [[Double]] = (0..<50).map { (i: Int) -> [Double] in
            [Double(i % 7), Double(i * i % 11), Double(i % 3)]
        }
        var a = SeededGenerator(seed: 9)
        var b = SeededGenerator(seed: 9)
        let seeds = try kMeansPlusPlusSeeds(profiles, k: 6, using: &a)
        XCTAssertEqual(seeds, try kMeansPlusPlusSeeds(profiles, k: 6, using: &b))
        XCTAssertEqual(Set(seeds).count, 6)
        XCTAssertEqual(try kMeans(profiles, k: 6, seed: 9), try kMeans(profiles, k: 6, seed: 9))

        var duplicates = SeededGenerator(seed: 1)
        XCTAssertEqual(Set(try kMeansPlusPlusSeeds([[1], [1], [1], [1]], k: 4, using: &duplicates)).count, 4)
    }

    func testSeparatedGroupsAreFound() throws {
        var generator = SeededGenerator(seed: 4)
        let truth = (0..<60).map { $0 % 3 }
        let profiles = truth.map { group in
            (0..<5).map { _ in Double(group * 10) + generator.nextUnitInterval() }
        }
        let result = try kMeans(profiles, k: 3, seed: 1)
        XCTAssertEqual(try adjustedRandIndex(result.assignments, truth), 1)
        XCTAssertTrue(result.converged)
    }

    func testRefusesBadInput() {
        XCTAssertThrowsError(try kMeans([], k: 1, seed: 0))
        XCTAssertThrowsError(try kMeans([[1], [2]], k: 3, seed: 0))
        XCTAssertThrowsError(try kMeans([[1], [2]], k: 0, seed: 0))
        XCTAssertThrowsError(try kMeans([[1], [2, 3]], k: 1, seed: 0))
        XCTAssertThrowsError(try kMeans([[1], [.nan]], k: 1, seed: 0))
        XCTAssertThrowsError(try kMeans([[1], [2]], initialCentroids: [[1, 2]]))
        XCTAssertThrowsError(try kMeans([[1], [2]], initialCentroids: [[1]], maxIterations: -1))
    }

    /// Lloyd's k-means in numpy, from the same initial centroids (k-means++ seeds picked here), on
    /// z-normalised real profiles: same partition, centroids to 1e-9, same number of iterations.
    /// One run adds a far-away centroid that starts empty, to exercise the empty-cluster rule.
    func testRealProfilesAgreeWithNumpyLloyd() throws {
        let cases: [(set: ProfileSet, k: Int, seed: UInt64, farCentroid: Bool)] = [
            (.finalCheckpoint, 2, 1, false), (.finalCheckpoint, 3, 2, false), (.finalCheckpoint, 4, 3, false),
            (.finalCheckpoint, 5, 4, false), (.finalCheckpoint, 3, 5, true),
            (.allCheckpoints, 4, 1, false), (.allCheckpoints, 6, 2, false), (.allCheckpoints, 8, 3, false),
            (.allCheckpoints, 12, 4, false), (.allCheckpoints, 5, 5, true),
        ]
        for set in [ProfileSet.finalCheckpoint, .allCheckpoints] {
            let (_, profiles) = try set.profiles()
            let runs = try cases.filter { $0.set == set }.map { run -> (context: String, centroids: [[Double]], far: Bool) in
                var generator = SeededGenerator(seed: run.seed)
                var centroids = try kMeansPlusPlusSeeds(profiles, k: run.k, using: &generator).map { profiles[$0] }
                if run.farCentroid {
                    centroids.append(Array(repeating: 50, count: profiles[0].count))
                } else {
                    let seeded = try kMeans(profiles, k: run.k, seed: run.seed)
                    XCTAssertEqual(seeded, try kMeans(profiles, initialCentroids: centroids))
                }
                return ("\(set.rawValue), k = \(centroids.count), seed \(run.seed)", centroids, run.farCentroid)
            }
            let oracle = try XCTUnwrap(
                NumpyOracle.run(try set.pythonPrelude() + Self.lloyd, input: ["runs": runs.map(\.centroids)])
                    as? [[String: Any]])
            XCTAssertEqual(oracle.count, runs.count)
            for ((context, centroids, far), expected) in zip(runs, oracle) {
                let result = try kMeans(profiles, initialCentroids: centroids)
                let labels = try integers(expected["labels"])
                let ari = try adjustedRandIndex(result.assignments, labels)
                XCTAssertGreaterThanOrEqual(ari, 0.99, context)
                XCTAssertEqual(result.assignments, labels, context)
                var worst = 0.0
                for (row, expectedRow) in zip(result.centroids, try doubleRows(expected["centroids"])) {
                    for (a, b) in zip(row, expectedRow) { worst = max(worst, abs(a - b)) }
                }
                XCTAssertLessThanOrEqual(worst, 1e-9, context)
                assertRelativelyClose(result.inertia, try XCTUnwrap(expected["inertia"] as? Double), 1e-12, context)
                XCTAssertEqual(result.iterations, try XCTUnwrap(expected["iterations"] as? Int), context)
                XCTAssertEqual(result.converged, try XCTUnwrap(expected["converged"] as? Bool), context)
                if far {
                    XCTAssertGreaterThan(
                        try XCTUnwrap(expected["relocated"] as? Int), 0, "\(context): the far centroid starts empty")
                }
            }
        }
    }

    /// Lloyd's algorithm in numpy, written from the documented behaviour of ``kMeans``: nearest
    /// centroid with the first index on ties (argmin), empty clusters taking the farthest profile.
    private static let lloyd = """
    def lloyd(X, C, max_iter=300):
        def assign(C):
            d = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
            lab = d.argmin(axis=1)
            return lab, d[np.arange(len(X)), lab]
        lab, dist = assign(C)
        it, conv, relocated = 0, False, 0
        while it < max_iter:
            it += 1
            sizes = np.bincount(lab, minlength=len(C))
            for j in range(len(C)):
                if sizes[j] == 0:
                    eligible = np.where(sizes[lab] >= 2)[0]
                    i = eligible[np.argmax(dist[eligible])]
                    sizes[lab[i]] -= 1; lab[i] = j; sizes[j] = 1; dist[i] = 0; relocated += 1
            C = np.array([X[lab == j].mean(axis=0) for j in range(len(C))])
            new, dist = assign(C)
            if np.array_equal(new, lab):
                conv = True
                break
            lab = new
        return dict(labels=lab.tolist(), centroids=C.tolist(), inertia=float(dist.sum()),
                    iterations=it, converged=conv, relocated=relocated)

    print(json.dumps([lloyd(Z, np.array(centroids, dtype=np.float64)) for centroids in inp['runs']]))
    """
}
