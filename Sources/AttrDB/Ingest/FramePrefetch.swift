import Foundation

/// One frame of a stream read and prepared ahead by ``FramePrefetch``: a `C` frame transposed to
/// the store's component-major layout (with its checksum and summaries when the reader computed
/// them), any other frame decoded from its JSON.
struct PreparedFrame {
    enum Content {
        /// `values` stay valid until the next ``FramePrefetch/next()``.
        case checkpoint(step: Int, values: UnsafeBufferPointer<Float>, digest: CheckpointDigest?)
        case statistics([CheckpointStat])
        case residNorms([ResidNorm])
        case wovNorms([WOVNorm])
        case weightsHash(step: Int, hash: WeightsHash)
        /// A `G` frame: how many frames after it are committed together (FrameGroup.swift).
        case group(frames: Int)
        case end(complete: Bool)
    }

    var kind: FrameKind
    var location: IngestError.Location
    /// The payload's length in bytes: what the frame adds to the write-ahead log, roughly.
    var payloadLength: Int
    var content: Content
}

/// Reads a frame stream on a thread of its own, one or two frames ahead of the writer: reading,
/// checking, transposing, hashing and summing frame N + 1 (the work of one core) overlaps with
/// inserting and committing frame N (the other's). Like ``Prefetch`` for a dataset's checkpoints, but
/// for a stream of frames of every kind, whose end is not known in advance.
///
/// Everything the stream format promises of a single thread holds: frames come out in order, and an
/// error (a malformed frame, a cut stream, bad JSON) comes out only after every frame before it, so
/// frame N is committed and acknowledged before the error in frame N + 1 is reported. Memory is
/// bounded: ``checkpointSlots`` transposed checkpoints and at most ``queueLimit`` decoded frames wait
/// at any time, besides the reader's one payload buffer.
///
/// ``stop()`` (the writer failed, or is done) tells the reader thread to stop and waits until it has,
/// so nothing of it outlives the ingest. A reader blocked in `read` on an idle pipe is woken through a
/// pipe of its own: the writer must be able to report its error while the other end of the stream
/// waits for that report rather than writing more.
final class FramePrefetch {
    /// Transposed checkpoints: the one being written, and two ready or being prepared — two, so
    /// that a checkpoint is more often waiting when the one before it reaches its commit, and joins
    /// it (CommitBatch.swift).
    static let checkpointSlots = 3
    /// Decoded frames that may wait for the writer.
    static let queueLimit = 4

    private let shared: Shared
    /// The slot of the checkpoint last returned: given back on the next call.
    private var lent: Int?

    /// Starts reading `reader`'s frames after the header (already read). `digesting`: compute each
    /// checkpoint's checksum and summaries here — only when its float32 values are what is stored
    /// (a 16-bit run hashes and sums its rounded values in the recorder).
    init(reader: FrameReader, coefficients: Int, components: Int, digesting: Bool, layout: SummaryLayout) throws {
        shared = try Shared(reader: reader, coefficients: coefficients, components: components, digesting: digesting, layout: layout)
        let thread = Thread { [shared] in shared.produce() }
        // JSON payloads are parsed on this thread: its stack must hold the parser's 512 levels as the main thread's does.
        thread.stackSize = 8 << 20
        thread.start()
    }

    deinit { stop() }

    /// The next frame, nil at the end of input (between frames), or the error the reader met there.
    func next() throws -> PreparedFrame? {
        if let slot = lent {
            lent = nil
            shared.giveBack(slot)
        }
        guard let (frame, slot) = try shared.take() else { return nil }
        lent = slot
        return frame
    }

    /// The frame ``next()`` would return now, when the reader has it ready; never waits. A look
    /// only: its values stay the reader's until ``next()`` takes it.
    func ready() -> PreparedFrame? { shared.peek() }

    /// Stops the reader and waits until it has stopped. Idempotent.
    func stop() { shared.cancel() }

    /// What the two threads share, behind one condition lock.
    private final class Shared: @unchecked Sendable {
        // Unchecked: the reader and the slots' buffers belong to the reader thread until a frame is
        // queued; a queued slot belongs to the writer until given back; every other field is touched
        // only under `condition`.
        let reader: FrameReader
        let coefficients: Int
        let components: Int
        let digesting: Bool
        let layout: SummaryLayout
        let buffers: [UnsafeMutableBufferPointer<Float>]
        /// The wake-up pipe: `cancel` writes to [1], and a reader polling [0] beside the stream stops.
        let wake: (read: Int32, write: Int32)
        private let condition = NSCondition()
        private var free: [Int]
        private var queued: [(frame: PreparedFrame, slot: Int?)] = []
        private var failure: Error?
        private var done = false
        private var cancelled = false

        init(reader: FrameReader, coefficients: Int, components: Int, digesting: Bool, layout: SummaryLayout) throws {
            self.reader = reader
            self.coefficients = coefficients
            self.components = components
            self.digesting = digesting
            self.layout = layout
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else {
                throw IngestError(file: reader.file, message: "cannot create a pipe for the reading thread (\(String(cString: strerror(errno))))")
            }
            wake = (fds[0], fds[1])
            buffers = (0..<FramePrefetch.checkpointSlots).map { _ in .allocate(capacity: coefficients * components) }
            free = Array(buffers.indices)
            reader.interruption = wake.read
        }

        deinit {
            for buffer in buffers { buffer.deallocate() }
            close(wake.read)
            close(wake.write)
        }

        private struct Cancelled: Error {}

        /// The reader thread: reads and prepares frames until the end of input, an error or `cancel`.
        func produce() {
            do {
                while let frame = try reader.next() {
                    let slot = try waitForRoom(checkpoint: frame.kind == .checkpoint)
                    let prepared = try prepare(frame, into: slot)
                    condition.lock()
                    queued.append((prepared, slot))
                    condition.broadcast()
                    condition.unlock()
                }
            } catch {
                condition.lock()
                if !(error is Cancelled) && !cancelled { failure = error }
                condition.unlock()
            }
            condition.lock()
            done = true
            condition.broadcast()
            condition.unlock()
        }

        /// Waits until the queue has room (and a free slot, for a checkpoint); returns the slot.
        private func waitForRoom(checkpoint: Bool) throws -> Int? {
            condition.lock()
            defer { condition.unlock() }
            while !cancelled && (queued.count >= FramePrefetch.queueLimit || (checkpoint && free.isEmpty)) { condition.wait() }
            if cancelled { throw Cancelled() }
            return checkpoint ? free.removeLast() : nil
        }

        private func prepare(_ frame: Frame, into slot: Int?) throws -> PreparedFrame {
            let file = reader.file
            let content: PreparedFrame.Content
            switch frame.kind {
            case .header:
                preconditionFailure("the reader refuses a second header")
            case .checkpoint:
                let out = buffers[slot!]
                // Row i of the payload is coefficient i; the store keeps component-major rows. The
                // reader's buffer is 16-byte aligned, so the floats after the 8-byte step are aligned.
                let source = UnsafeRawBufferPointer(rebasing: frame.payload[8...])
                if let base = source.baseAddress, let target = out.baseAddress {
                    NPYArray.transpose(base.assumingMemoryBound(to: Float.self), rows: coefficients, columns: components, into: target)
                }
                // Hashed and summed right after the transpose wrote them, while they are in this core's cache.
                let values = UnsafeBufferPointer(out)
                content = .checkpoint(step: FramePayload.step(frame), values: values,
                                      digest: digesting ? CheckpointDigest(values, layout: layout) : nil)
            case .statistics: content = .statistics(try FramePayload.statistics(frame, file: file))
            case .residNorms: content = .residNorms(try FramePayload.residNorms(frame, file: file))
            case .wovNorms: content = .wovNorms(try FramePayload.wovNorms(frame, file: file))
            case .weightsHash:
                let weights = try FramePayload.weightsHash(frame, file: file)
                content = .weightsHash(step: weights.step, hash: weights.hash)
            case .group: content = .group(frames: try FramePayload.group(frame, file: file))
            case .end: content = .end(complete: try FramePayload.complete(frame, file: file))
            }
            return PreparedFrame(kind: frame.kind, location: frame.location, payloadLength: frame.payload.count, content: content)
        }

        /// The next queued frame and its slot, nil at the end, or the reader's error once every frame
        /// before it was taken.
        func take() throws -> (PreparedFrame, Int?)? {
            condition.lock()
            defer { condition.unlock() }
            while queued.isEmpty && !done { condition.wait() }
            if !queued.isEmpty {
                let first = queued.removeFirst()
                condition.broadcast()
                return (first.frame, first.slot)
            }
            if let failure { throw failure }
            return nil
        }

        /// The first queued frame, if any, left queued.
        func peek() -> PreparedFrame? {
            condition.lock()
            defer { condition.unlock() }
            return queued.first?.frame
        }

        func giveBack(_ slot: Int) {
            condition.lock()
            free.append(slot)
            condition.broadcast()
            condition.unlock()
        }

        /// Tells the reader to stop, wakes it from a blocked read, and waits until it is done.
        func cancel() {
            condition.lock()
            defer { condition.unlock() }
            guard !cancelled else {
                while !done { condition.wait() }
                return
            }
            cancelled = true
            condition.broadcast()
            var byte: UInt8 = 1
            _ = write(wake.write, &byte, 1)
            while !done { condition.wait() }
        }
    }
}
