import Foundation

/// ``Writeback`` of a file every few milliseconds on a thread of its own, while one long statement
/// writes it: `merge` into a new store copies its matrices in one `INSERT … SELECT`, and without this
/// the kernel held every page dirty until the commit's fsync, which then wrote the whole store while
/// nothing else happened. Now the disk writes while SQLite copies, and the fsync finds little left.
final class PeriodicWriteback: @unchecked Sendable {
    // Unchecked: `stopped` and `finished` are touched only under `condition`; `writeback` is used by
    // the thread until it finishes, then by `stop()` alone.
    private let writeback: Writeback
    private let condition = NSCondition()
    private var stopped = false
    private var finished = false

    /// Starts the thread writing back `path` every `interval` seconds.
    init(path: String, interval: TimeInterval = 0.05) {
        writeback = Writeback(path: path)
        let thread = Thread { [self] in
            condition.lock()
            while !stopped {
                _ = condition.wait(until: Date(timeIntervalSinceNow: interval))
                if stopped { break }
                condition.unlock()
                writeback.start()
                condition.lock()
            }
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 1 << 18
        thread.start()
    }

    /// Stops the thread, waits for it, and closes the file. Call it where SQLite holds no lock on
    /// the file: closing any descriptor of a file drops all of the process's POSIX locks on it.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
        writeback.release()
    }
}
