import Foundation
import XCTest

/// What WAL mode changes around the store file: one file at rest, a copy that needs no log,
/// old stores converted, and reads where the folder cannot be written.
final class WriteAheadLogCommandTests: XCTestCase {
    private func ingestExample(_ db: String, run: String = "modadd") throws {
        let result = try CLI.run(["ingest", CLI.example.path, "--run", run, "--db", db])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    /// Bytes 18 and 19 of a SQLite file: 2 and 2 in WAL mode, 1 and 1 with a rollback journal.
    private func journalBytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path))[18..<20])
    }

    private func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func testAStoreIsInWALModeAndOneFileAtRest() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        try ingestExample(db)
        XCTAssertEqual(try journalBytes(db), [2, 2])
        XCTAssertFalse(exists(db + "-wal") || exists(db + "-shm") || exists(db + "-journal"), "the last connection removed the log")
    }

    /// A Python connection left open (no transaction) keeps the ingest from being the last
    /// connection, so SQLite does not remove the log at close: attrdb's own checkpoint must have
    /// copied it into the database and emptied it.
    func testTheIngestCheckpointsWhileAnotherConnectionIsOpen() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        try ingestExample(db)
        let script = """
        import os, sqlite3, subprocess, sys
        db = sys.argv[1]
        idle = sqlite3.connect(db)
        idle.execute("SELECT count(*) FROM run").fetchone()
        result = subprocess.run([sys.argv[2], "ingest", sys.argv[3], "--run", "second", "--db", db], capture_output=True, text=True)
        wal = os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else -1
        # The database file alone, read as an immutable snapshot, holds both runs.
        alone = sqlite3.connect("file:" + db + "?immutable=1", uri=True)
        print(result.returncode, wal, alone.execute("SELECT count(*) FROM run").fetchone()[0])
        """
        let output = try CLI.python(script, [db, CLI.binary.path, CLI.example.path])
        XCTAssertEqual(output, "0 0 2\n", "exit status, bytes left in the log, runs in the database file")
    }

    /// While a reader holds a snapshot the log cannot be copied back; a backup still gives one
    /// complete file with everything committed.
    func testABackupIsOneCompleteFileWhileTheLogHoldsCommits() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite"), copy = folder.path("copy.sqlite")
        try ingestExample(db)
        let script = """
        import os, sqlite3, subprocess, sys
        db, attrdb, example, copy = sys.argv[1:5]
        reader = sqlite3.connect(db, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM run").fetchone()
        ingest = subprocess.run([attrdb, "ingest", example, "--run", "second", "--db", db], capture_output=True, text=True)
        log = os.path.getsize(db + "-wal")
        backup = subprocess.run([attrdb, "backup", copy, "--db", db], capture_output=True, text=True)
        beside = [name for name in os.listdir(os.path.dirname(copy)) if name.startswith("copy.sqlite")]
        alone = sqlite3.connect("file:" + copy + "?immutable=1", uri=True)
        print(ingest.returncode, log > 0, backup.returncode, sorted(beside), alone.execute("SELECT count(*) FROM run").fetchone()[0])
        """
        let output = try CLI.python(script, [db, CLI.binary.path, CLI.example.path, copy])
        XCTAssertEqual(output, "0 True 0 ['copy.sqlite'] 2\n", "ingest status, log kept, backup status, files, runs in the copy")
        let check = try CLI.run(["check", "--db", copy])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
    }

    func testAStoreWithARollbackJournalIsConvertedWhenWritten() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        try ingestExample(db)
        _ = try CLI.python("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode = DELETE'); c.close()", [db])
        XCTAssertEqual(try journalBytes(db), [1, 1])
        XCTAssertEqual(try CLI.run(["runs", "--db", db]).status, 0)
        XCTAssertEqual(try journalBytes(db), [1, 1], "a read leaves the file alone")
        XCTAssertEqual(try CLI.run(["tag", "modadd", "seed=0", "--db", db]).status, 0)
        XCTAssertEqual(try journalBytes(db), [2, 2])
    }

    /// SQLite cannot make the `-shm` a WAL-mode reader needs in a folder it may not write; the
    /// store is read immutable instead. Needs root, to run the command as another user.
    func testAStoreInAFolderThatCannotBeWrittenCanBeRead() throws {
        let runuser = "/usr/sbin/runuser"
        try XCTSkipUnless(getuid() == 0 && FileManager.default.isExecutableFile(atPath: runuser), "needs root and runuser")
        let folder = try TemporaryFolder()
        let shelf = folder.path("shelf")
        try FileManager.default.createDirectory(atPath: shelf, withIntermediateDirectories: false)
        let db = shelf + "/s.sqlite"
        try ingestExample(db)
        let binary = folder.path("attrdb")
        try FileManager.default.copyItem(atPath: CLI.binary.path, toPath: binary)
        for (path, mode) in [(folder.url.path, 0o755), (shelf, 0o555), (db, 0o444), (binary, 0o755)] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shelf) }
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        let runs = try CLI.run(["-u", "nobody", "--", binary, "runs", "--db", db, "--format", "csv"], executable: URL(fileURLWithPath: runuser))
        XCTAssertEqual(runs.status, 0, runs.stderr)
        XCTAssertTrue(runs.stdout.contains("\nmodadd,"), runs.stdout)
        let sql = try CLI.run(["-u", "nobody", "--", binary, "sql", "SELECT count(*) FROM run", "--db", db, "--format", "csv", "--no-headers"],
                              executable: URL(fileURLWithPath: runuser))
        XCTAssertEqual(sql.stdout, "1\n", sql.stderr)
        let tag = try CLI.run(["-u", "nobody", "--", binary, "tag", "modadd", "k=v", "--db", db], executable: URL(fileURLWithPath: runuser))
        XCTAssertEqual(tag.status, 2)
        XCTAssertTrue(tag.stderr.contains("the store is read-only"), tag.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: db)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: shelf), ["s.sqlite"])
    }
}
