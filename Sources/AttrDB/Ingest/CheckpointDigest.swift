/// What is computed of a checkpoint's float32 values besides storing them: the checksum of their
/// bytes (``XXHash64/storedValue(_:)``), their summaries (schema/0004_summaries.sql) and how many
/// are not finite.
///
/// The readers that prepare checkpoints ahead on another core (``Prefetch``, ``FramePrefetch``)
/// compute it right after writing the values, while they are in that core's cache, and hand it to
/// ``Recorder/append(step:values:digest:)``. Only for a float32 run: a 16-bit run's digest is of its
/// rounded values, which the recorder makes.
struct CheckpointDigest: Sendable {
    var checksum: Int64
    /// Nil when the run's grid keeps no summaries.
    var summary: MatrixSummary?
    /// How many values are NaN or ±Inf (the recorder refuses them unless allowed).
    var nonFinite: Int

    init(_ values: UnsafeBufferPointer<Float>, layout: SummaryLayout) {
        checksum = XXHash64.storedValue(UnsafeRawBufferPointer(values))
        summary = Recorder.summarize(values, layout: layout)
        nonFinite = Recorder.nonFiniteCount(values)
    }
}
