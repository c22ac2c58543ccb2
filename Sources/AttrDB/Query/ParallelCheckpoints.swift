import Dispatch

/// Reads a selection's checkpoints on both cores: the first half on the calling thread through the
/// store's connection, the second on another thread through a connection of its own (a SQLite
/// connection is used by one thread at a time). Results come back in checkpoint order.
enum ParallelCheckpoints {
    /// Below this many bytes to read, a second connection costs more than it saves.
    static let minimumBytes = 8 << 20

    /// `body(scan, part)` for the two halves of `checkpoints`, each with a `ScanSelection` on its
    /// own connection; one call on this thread when the work is small or no second connection can
    /// be had (an in-memory store, or the connection inside a transaction). `minimumBytes` is
    /// the tests' way to split a small store.
    static func map<T>(_ scan: ScanSelection, _ checkpoints: [Int], bytesPerCheckpoint: Int, minimumBytes: Int = minimumBytes,
                       _ body: (ScanSelection, ArraySlice<Int>) throws -> [T]) throws -> [T] {
        guard checkpoints.count >= 2, checkpoints.count * bytesPerCheckpoint >= minimumBytes,
              let other = scan.store.secondReader() else {
            return try body(scan, checkpoints[...])
        }
        let half = checkpoints.count / 2
        let second = scan.on(other)
        return try withoutActuallyEscaping(body) { body in
            let work = Work(body: body, second: second, part: checkpoints[half...])
            let group = DispatchGroup()
            DispatchQueue.global().async(group: group) { work.run() }
            let first = Result { try body(scan, checkpoints[..<half]) }
            group.wait()
            return try first.get() + work.result!.get()
        }
    }

    /// The second half's work and result, handed to the other thread and back through the group's
    /// wait (unchecked: one thread touches it at a time).
    private final class Work<T>: @unchecked Sendable {
        let body: (ScanSelection, ArraySlice<Int>) throws -> [T]
        let second: ScanSelection
        let part: ArraySlice<Int>
        var result: Result<[T], Error>?

        init(body: @escaping (ScanSelection, ArraySlice<Int>) throws -> [T], second: ScanSelection, part: ArraySlice<Int>) {
            self.body = body
            self.second = second
            self.part = part
        }

        func run() { result = Result { try body(second, part) } }
    }
}
