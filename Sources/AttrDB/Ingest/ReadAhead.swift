import Foundation

/// Produces bytes on a thread of their own while the caller consumes them: gzip's inflate (or the
/// reads of a file) on one core, parsing on the other. The bytes pass through `slots` buffers of
/// `slotSize` bytes, so memory stays bounded however far ahead the producer could run.
///
/// The consumer sees the producer's bytes in order, and the producer's error only after every byte
/// produced before it: an input's errors come in the order a single thread would give them. When
/// the consumer stops (it threw), the producer is told to stop and waited for before this returns,
/// so nothing it holds (a file descriptor, a buffer) outlives the call.
enum ReadAhead {
    static let slotSize = 1 << 20
    static let slots = 4

    /// Runs `produce` on another thread, calling `consume` here with what it produced.
    static func run(produce: @escaping @Sendable (_ sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Void,
                    consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        let pipe = Pipe(slots: slots, slotSize: slotSize)
        let thread = Thread { pipe.producer(produce) }
        thread.stackSize = 1 << 20
        thread.start()
        do {
            while let (slot, count) = try pipe.take() {
                defer { pipe.give(back: slot) }
                try consume(UnsafeRawBufferPointer(start: pipe.buffers[slot].baseAddress, count: count))
            }
        } catch {
            pipe.cancel()
            throw error
        }
    }

    /// What the two threads share, behind one condition lock.
    private final class Pipe: @unchecked Sendable {
        // Unchecked: every field but `buffers` is touched only under `condition`; a buffer belongs to
        // the producer from `free` until it is queued in `filled`, then to the consumer until given back.
        let buffers: [UnsafeMutableRawBufferPointer]
        private let condition = NSCondition()
        private var free: [Int]
        private var filled: [(slot: Int, count: Int)] = []
        private var failure: Error?
        private var done = false
        private var cancelled = false

        init(slots: Int, slotSize: Int) {
            buffers = (0..<slots).map { _ in .allocate(byteCount: slotSize, alignment: 16) }
            free = Array(0..<slots)
        }

        deinit { for buffer in buffers { buffer.deallocate() } }

        private struct Cancelled: Error {}

        /// The producer's thread: fills free buffers and queues them, then says it is done.
        func producer(_ produce: (_ sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) {
            var slot: Int?
            var used = 0
            func queue() {
                guard let current = slot, used > 0 else { return }
                condition.lock()
                filled.append((current, used))
                condition.broadcast()
                condition.unlock()
                slot = nil
                used = 0
            }
            do {
                try produce { bytes in
                    var offset = 0
                    while offset < bytes.count {
                        if slot == nil {
                            condition.lock()
                            while free.isEmpty && !cancelled { condition.wait() }
                            let stop = cancelled
                            if !stop { slot = free.removeLast() }
                            condition.unlock()
                            if stop { throw Cancelled() }
                        }
                        let buffer = buffers[slot!]
                        let count = min(bytes.count - offset, buffer.count - used)
                        memcpy(buffer.baseAddress! + used, bytes.baseAddress! + offset, count)
                        used += count
                        offset += count
                        if used == buffer.count { queue() }
                    }
                }
                queue()
            } catch {
                // What came before the error is consumed first, as a single thread would have it.
                queue()
                condition.lock()
                if !(error is Cancelled) { failure = error }
                condition.unlock()
            }
            condition.lock()
            done = true
            condition.broadcast()
            condition.unlock()
        }

        /// The next filled buffer, nil at the end of the bytes, or the producer's error.
        func take() throws -> (Int, Int)? {
            condition.lock()
            defer { condition.unlock() }
            while filled.isEmpty && !done { condition.wait() }
            if !filled.isEmpty { return filled.removeFirst() }
            if let failure { throw failure }
            return nil
        }

        func give(back slot: Int) {
            condition.lock()
            free.append(slot)
            condition.broadcast()
            condition.unlock()
        }

        /// Stops the producer and waits until it has.
        func cancel() {
            condition.lock()
            cancelled = true
            condition.broadcast()
            while !done { condition.wait() }
            condition.unlock()
        }
    }
}
