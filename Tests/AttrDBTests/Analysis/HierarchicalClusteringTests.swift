import AttrDB
import Foundation
import XCTest

final class HierarchicalClusteringTests: XCTestCase {
    func testHandComputedTree() throws {
        // d(0,1) = 1, d(2,3) = 2; {0,1}–{2,3}: (5 + 7 + 4 + 6)/4 = 5.5; then 20 against the other four:
        // (20 + 19 + 15 + 13)/4 = 16.75.
        let tree = try averageLinkage([[0], [1], [5], [7], [20]], distance: .euclidean)
        XCTAssertEqual(tree.leafCount, 5)
        XCTAssertEqual(tree.merges, [
            .init(first: 0, second: 1, height: 1, size: 2),
            .init(first: 2, second: 3, height: 2, size: 2),
            .init(first: 5, second: 6, height: 5.5, size: 4),
            .init(first: 4, second: 7, height: 16.75, size: 5),
        ])
        XCTAssertEqual(try tree.clusterLabels(count: 1), [0, 0, 0, 0, 0])
        XCTAssertEqual(try tree.clusterLabels(count: 2), [0, 0, 0, 0, 1])
        XCTAssertEqual(try tree.clusterLabels(count: 3), [0, 0, 1, 1, 2])
        XCTAssertEqual(try tree.clusterLabels(count: 5), [0, 1, 2, 3, 4])
        XCTAssertThrowsError(try tree.clusterLabels(count: 6))
        XCTAssertThrowsError(try tree.clusterLabels(count: 0))
    }

    func testLabelsFollowFirstAppearance() throws {
        XCTAssertEqual(try hierarchicalClusters([[20], [0], [21], [1]], k: 2, distance: .euclidean), [0, 1, 0, 1])
    }

    func testCorrelationGroupsShapesNotSizes() throws {
        let profiles: [[Double]] = [[1, 2, 3, 4], [3, 2, 1, 0], [10, 20, 30, 41], [-5, -6, -7, -8]]
        XCTAssertEqual(try hierarchicalClusters(profiles, k: 2, distance: .correlation), [0, 1, 0, 1])
    }

    func testSingleProfile() throws {
        let tree = try averageLinkage([[1, 2]], distance: .correlation)
        XCTAssertEqual(tree.merges, [])
        XCTAssertEqual(try tree.clusterLabels(count: 1), [0])
    }

    func testRefusesBadInput() {
        XCTAssertThrowsError(try averageLinkage([], distance: .euclidean))
        XCTAssertThrowsError(try averageLinkage([[1], [1, 2]], distance: .euclidean))
        XCTAssertThrowsError(try hierarchicalClusters([[1], [2]], k: 3, distance: .euclidean))
    }

    /// scipy's `linkage(method='average')` and `fcluster(criterion='maxclust')` on the real
    /// profiles: the same merges and heights, and the same partitions at every k tried.
    func testRealProfilesAgreeWithScipy() throws {
        let script = """
        from scipy.cluster.hierarchy import linkage, fcluster
        from scipy.spatial.distance import pdist
        out = {}
        for metric, X in (('euclidean', Z), ('correlation', P)):
            tree = linkage(pdist(X, metric), method='average')
            out[metric] = dict(linkage=tree.tolist(),
                               labels=[fcluster(tree, k, criterion='maxclust').tolist() for k in inp['ks']])
        print(json.dumps(out))
        """
        for set in [ProfileSet.finalCheckpoint, .allCheckpoints] {
            let (raw, normalized) = try set.profiles()
            let ks = set == .finalCheckpoint ? Array(2...8) : [2, 3, 4, 6, 8, 12, 20]
            let oracle = try XCTUnwrap(
                NumpyOracle.run(try set.pythonPrelude() + script, input: ["ks": ks]) as? [String: Any])
            for distance in ProfileDistance.allCases {
                let context = "\(set.rawValue), \(distance)"
                let expected = try XCTUnwrap(oracle[distance.rawValue] as? [String: Any])
                let tree = try averageLinkage(distance == .euclidean ? normalized : raw, distance: distance)
                let linkage = try doubleRows(expected["linkage"])
                XCTAssertEqual(linkage.count, tree.merges.count, context)
                var worstHeight = 0.0
                var sameIds = true
                for (merge, row) in zip(tree.merges, linkage) {
                    worstHeight = max(worstHeight, abs(merge.height - row[2]))
                    sameIds = sameIds && merge.first == Int(row[0]) && merge.second == Int(row[1])
                        && merge.size == Int(row[3])
                }
                XCTAssertLessThanOrEqual(worstHeight, 1e-9, context)
                // Profiles the steering cannot reach (embeddings, layer 0, bias) all scale with the
                // final LayerNorm alone, so their correlation distances are 0 up to rounding, and
                // rounding alone orders those merges. Merge by merge agreement is asked only of
                // trees without such ties; the partitions below must agree either way.
                let heights = linkage.map { $0[2] }
                let tied = zip(heights, heights.dropFirst()).contains { $1 - $0 < 1e-12 }
                if !tied { XCTAssertTrue(sameIds, "\(context): merges differ from scipy's") }
                for (k, labels) in zip(ks, try XCTUnwrap(expected["labels"] as? [Any])) {
                    let ari = try adjustedRandIndex(try tree.clusterLabels(count: k), try integers(labels))
                    XCTAssertGreaterThanOrEqual(ari, 0.99, "\(context), k = \(k)")
                    XCTAssertEqual(ari, 1, "\(context), k = \(k)")
                }
            }
        }
    }
}
