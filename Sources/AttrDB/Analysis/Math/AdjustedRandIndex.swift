/// The adjusted Rand index of two partitions of the same items (Hubert and Arabie, 1985):
/// 1 for the same partition (whatever the label names), about 0 for independent ones, negative for
/// less agreement than chance.
///
/// ARI = (Σᵢⱼ C(nᵢⱼ, 2) − E) / (½(Σᵢ C(aᵢ, 2) + Σⱼ C(bⱼ, 2)) − E),
/// with E = Σᵢ C(aᵢ, 2) Σⱼ C(bⱼ, 2) / C(n, 2), over the contingency table nᵢⱼ and its row and column sums aᵢ, bⱼ. When the denominator is 0 (both
/// partitions put everything in one cluster, or both make every item its own cluster) the
/// partitions are identical and the index is 1, as in scikit-learn.
///
/// ```swift
/// try adjustedRandIndex([0, 0, 1, 1], [5, 5, 2, 2])  // 1
/// try adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])  // 4/7 ≈ 0.5714
/// ```
public func adjustedRandIndex(_ a: [Int], _ b: [Int]) throws -> Double {
    guard a.count == b.count else {
        throw NumericInputError(
            kernel: "adjusted Rand index", message: "the partitions label \(a.count) and \(b.count) items")
    }
    guard a.count >= 2 else { return 1 }
    func pairs(_ count: Int) -> Double { Double(count) * Double(count - 1) / 2 }
    var cells: [Pair: Int] = [:]
    var rows: [Int: Int] = [:]
    var columns: [Int: Int] = [:]
    for (x, y) in zip(a, b) {
        cells[Pair(a: x, b: y), default: 0] += 1
        rows[x, default: 0] += 1
        columns[y, default: 0] += 1
    }
    // Summed in a fixed order: dictionary order varies between runs, and the result should not.
    let index = cells.values.sorted().reduce(0.0) { $0 + pairs($1) }
    let rowPairs = rows.values.sorted().reduce(0.0) { $0 + pairs($1) }
    let columnPairs = columns.values.sorted().reduce(0.0) { $0 + pairs($1) }
    let expected = rowPairs * columnPairs / pairs(a.count)
    let maximum = (rowPairs + columnPairs) / 2
    guard maximum != expected else { return 1 }
    return (index - expected) / (maximum - expected)
}

private struct Pair: Hashable {
    var a: Int
    var b: Int
}
