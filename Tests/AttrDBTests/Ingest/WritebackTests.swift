import XCTest
@testable import AttrDB

/// The descriptor ingest opens on the store to start writeback early (sync_file_range).
final class WritebackTests: XCTestCase {
    /// Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
    /// included ("How To Corrupt An SQLite Database File", 2.2). The writeback descriptor must
    /// therefore stay open as long as the connection: before the fix, releasing a recorder that had
    /// written 8 MiB closed it, and another process could then write the store under a read
    /// transaction this process still had open (or, in WAL mode, take itself for the last
    /// connection and remove the log).
    func testReleasingARecorderKeepsTheProcessLocks() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("s.sqlite")
        let store = try Store(path: path, access: .create)
        let components = (0..<1024).map { (i: Int) in Component(label: "L0N\(i)", layer: 0, kind: .neuron, index: i) }
        var recorder: Recorder? = try Recorder(store: store, target: IngestTarget(run: "big", metric: "m"), components: components,
                                               coefficients: (0..<64).map(Double.init))
        let values = [Float](repeating: 0.5, count: 1024 * 64)
        // 33 checkpoints of 256 KiB: past the 8 MiB after which the recorder starts writeback.
        for step in 0..<33 { try recorder?.append(step: step, values: values) }
        try recorder?.commit()

        let reader = try Store(path: path, access: .read)
        try reader.connection.execute("BEGIN")
        XCTAssertEqual(try reader.connection.scalar("SELECT count(*) FROM attribution")?.int64, 33)
        recorder = nil

        // The read transaction holds SQLite's shared lock (a POSIX read lock on the 510 bytes after
        // the pending and reserved bytes at 1 GiB): another process asking about a write lock there
        // must see it, in rollback-journal and WAL mode alike.
        let holder = try python("""
            import fcntl, os, struct, sys
            fd = os.open(sys.argv[1], os.O_RDONLY)
            query = struct.pack("hh4xqqi4x", fcntl.F_WRLCK, os.SEEK_SET, 0x40000002, 510, 0)
            kind = struct.unpack("hh4xqqi4x", fcntl.fcntl(fd, fcntl.F_GETLK, query))[0]
            print({fcntl.F_RDLCK: "read lock", fcntl.F_WRLCK: "write lock", fcntl.F_UNLCK: "no lock"}[kind])
            """, arguments: [path])
        XCTAssertEqual(holder, "read lock\n")
        try reader.connection.execute("COMMIT")
    }
}
