import Dispatch

/// Reads checkpoints of a source one ahead, on another thread, into two alternating buffers:
/// reading and transposing checkpoint i + 1 overlaps with writing checkpoint i. The checksum of each
/// buffer is computed there too, right after the transpose wrote it, while it is still in this core's cache.
final class Prefetch: @unchecked Sendable {
    // Unchecked: each buffer is touched by one thread at a time, handed over through `ready`.
    private let source: AttributionSource
    private let count: Int
    private let buffers: [UnsafeMutableBufferPointer<Float>]
    private var checksums: [Int64] = [0, 0]
    private let queue = DispatchQueue(label: "attrdb.prefetch")
    private let ready = DispatchSemaphore(value: 0)
    /// The fill in flight. Not `queue.sync`: when an ingest fails mid-way, the fill's block may
    /// hold the last reference, and deinit then runs on the queue itself.
    private let filling = DispatchGroup()
    private var failure: Error?

    init(source: AttributionSource, count: Int, valuesPerCheckpoint: Int) {
        self.source = source
        self.count = count
        buffers = (0..<2).map { _ in UnsafeMutableBufferPointer<Float>.allocate(capacity: valuesPerCheckpoint) }
        if count > 0 { load(0) }
    }

    deinit {
        // Wait for a fill still running before freeing what it writes into.
        filling.wait()
        for buffer in buffers { buffer.deallocate() }
    }

    private func load(_ index: Int) {
        filling.enter()
        queue.async { [self] in
            defer { filling.leave() }
            do {
                try source.fill(checkpoint: index, into: buffers[index % 2])
                checksums[index % 2] = XXHash64.storedValue(UnsafeRawBufferPointer(buffers[index % 2]))
            } catch { failure = error }
            ready.signal()
        }
    }

    /// Checkpoint `index` (taken in order, 0, 1, 2, …) and the checksum of its bytes, valid until the
    /// next call; starts reading the one after.
    func take(_ index: Int) throws -> (values: UnsafeBufferPointer<Float>, checksum: Int64) {
        ready.wait()
        if let failure { throw failure }
        let taken = (UnsafeBufferPointer(buffers[index % 2]), checksums[index % 2])
        if index + 1 < count { load(index + 1) }
        return taken
    }
}
