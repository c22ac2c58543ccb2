import Dispatch

/// Reads checkpoints of a source one ahead, on another thread, into two alternating buffers:
/// reading and transposing checkpoint i + 1 overlaps with writing checkpoint i. The checksum of each
/// buffer is computed there too (its ``CheckpointDigest``), right after the transpose wrote it, while
/// it is still in this core's cache.
///
/// A reader may be dropped while a fill is still running (an ingest refused at checkpoint i while
/// i + 1 is being read). The fill holds what it writes into, not the reader, so the buffers are
/// freed by whichever of the two finishes last and nothing waits in a deinit: the reader's deinit
/// used to `queue.sync` for the fill, and when the fill's block held the last reference that deinit
/// ran on the queue itself, where `sync` traps (SIGILL, exit 132 instead of 4).
final class Prefetch {
    /// What the reader and its fills share; freed when the last of them lets go.
    private final class Shared: @unchecked Sendable {
        // Unchecked: each buffer, its checksum and `failure` are touched by one thread at a time,
        // handed over through `ready` (a fill signals after writing; the reader reads after waiting).
        let source: AttributionSource
        let buffers: [UnsafeMutableBufferPointer<Float>]
        var digests: [CheckpointDigest?] = [nil, nil]
        let layout: SummaryLayout
        let ready = DispatchSemaphore(value: 0)
        var failure: Error?

        init(source: AttributionSource, valuesPerCheckpoint: Int, layout: SummaryLayout) {
            self.source = source
            self.layout = layout
            buffers = (0..<2).map { _ in UnsafeMutableBufferPointer<Float>.allocate(capacity: valuesPerCheckpoint) }
        }

        deinit { for buffer in buffers { buffer.deallocate() } }
    }

    private let shared: Shared
    private let count: Int
    /// Whether the float32 bytes are what is stored (and so hashed and summed here): a 16-bit run
    /// hashes and sums its rounded values in the recorder instead.
    private let hashing: Bool
    private let queue = DispatchQueue(label: "attrdb.prefetch")

    init(source: AttributionSource, count: Int, valuesPerCheckpoint: Int, hashing: Bool = true, layout: SummaryLayout) {
        shared = Shared(source: source, valuesPerCheckpoint: valuesPerCheckpoint, layout: layout)
        self.count = count
        self.hashing = hashing
        if count > 0 { load(0) }
    }

    private func load(_ index: Int) {
        queue.async { [shared, hashing] in
            do {
                let buffer = shared.buffers[index % 2]
                try shared.source.fill(checkpoint: index, into: buffer)
                if hashing { shared.digests[index % 2] = CheckpointDigest(UnsafeBufferPointer(buffer), layout: shared.layout) }
            } catch { shared.failure = error }
            shared.ready.signal()
        }
    }

    /// Checkpoint `index` (taken in order, 0, 1, 2, …) and its digest (nil when not hashing), valid
    /// until the next call; starts reading the one after.
    func take(_ index: Int) throws -> (values: UnsafeBufferPointer<Float>, digest: CheckpointDigest?) {
        shared.ready.wait()
        if let failure = shared.failure { throw failure }
        let taken = (UnsafeBufferPointer(shared.buffers[index % 2]), shared.digests[index % 2])
        if index + 1 < count { load(index + 1) }
        return taken
    }
}
