/// Profiles stored row-major in one contiguous array, so distance loops walk memory in order
/// instead of chasing one heap array per profile.
struct FlatRows: Sendable {
    var values: [Double]
    var dimension: Int

    init(values: [Double], dimension: Int) {
        self.values = values
        self.dimension = dimension
    }

    /// Packs rows that the caller has checked are all `dimension` long.
    init(_ rows: [[Double]], dimension: Int) {
        var values: [Double] = []
        values.reserveCapacity(rows.count * dimension)
        for row in rows { values.append(contentsOf: row) }
        self.init(values: values, dimension: dimension)
    }

    var count: Int { dimension == 0 ? 0 : values.count / dimension }

    var rows: [[Double]] {
        (0..<count).map { Array(values[($0 * dimension)..<(($0 + 1) * dimension)]) }
    }

    /// Σ (self[row] − other[otherRow])², accumulated in order.
    func squaredDistance(row: Int, to other: FlatRows, row otherRow: Int) -> Double {
        values.withUnsafeBufferPointer { a in
            other.values.withUnsafeBufferPointer { b in
                let aStart = row * dimension
                let bStart = otherRow * dimension
                var sum = 0.0
                for c in 0..<dimension {
                    let difference = a[aStart + c] - b[bStart + c]
                    sum += difference * difference
                }
                return sum
            }
        }
    }
}
