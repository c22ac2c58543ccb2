/// An input that ingest can read checkpoint by checkpoint: its axes, each checkpoint's values
/// component-major, and any statistics that came with it.
protocol AttributionSource {
    var axes: Axes { get }
    /// Writes checkpoint `index` (in `axes.checkpointSteps` order) component-major into `buffer`:
    /// `buffer[p * coefficients + j]` is component `p` at coefficient `j`.
    func fill(checkpoint index: Int, into buffer: UnsafeMutableBufferPointer<Float>) throws
    var statistics: Statistics { get }
}

/// What a dataset folder may carry besides attributions.
struct Statistics {
    var losses: [CheckpointStat] = []
    var residNorms: [ResidNorm] = []
    var wovNorms: [WOVNorm] = []

    var isEmpty: Bool { losses.isEmpty && residNorms.isEmpty && wovNorms.isEmpty }
}

/// Long-form input gathered in memory.
struct DenseSource: AttributionSource {
    let axes: Axes
    let matrices: [[Float]]
    var statistics = Statistics()

    func fill(checkpoint index: Int, into buffer: UnsafeMutableBufferPointer<Float>) throws {
        _ = buffer.update(fromContentsOf: matrices[index])
    }
}
