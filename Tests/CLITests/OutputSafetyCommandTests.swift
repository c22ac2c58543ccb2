import Foundation
import XCTest

/// Every `-o` output is written beside its target and moved into place only when complete: a
/// failed write leaves the old file (or folder) byte for byte as it was, and nothing beside it.
final class OutputSafetyCommandTests: XCTestCase {
    private func store(_ folder: TemporaryFolder) throws -> String {
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", CLI.example.path, "--run", "modadd", "--db", db]).status, 0)
        return db
    }

    /// Runs attrdb with the file-size limit `blocks` (ulimit -f), as on a disk that fills up.
    private func limited(_ blocks: Int, _ arguments: [String]) throws -> CLI.Result {
        try CLI.run(["-c", "ulimit -f \(blocks); exec \"$@\"", "sh", CLI.binary.path] + arguments,
                    executable: URL(fileURLWithPath: "/bin/sh"))
    }

    /// Every file under `path`, relative to it, with its bytes.
    private func snapshot(_ path: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let root = URL(fileURLWithPath: path)
        guard let walk = FileManager.default.enumerator(atPath: path) else { return files }
        for case let name as String in walk {
            var isDirectory: ObjCBool = false
            let url = root.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = try Data(contentsOf: url)
            } else {
                files[name + "/"] = Data()
            }
        }
        return files
    }

    func testAFailedExportLeavesTheOldFileAsItWasAndNothingBeside() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let out = folder.path("out")
        try FileManager.default.createDirectory(atPath: out + "/d", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: out + "/parts/run=old", withIntermediateDirectories: true)
        let old: [String: String] = [
            "v.csv": "old csv\n", "cap.csv": "old capacity\n", "r.html": "<p>old report</p>\n", "c.svg": "<svg>old</svg>\n", "v.parquet": "old parquet",
            "d/x.npy": "old npy", "d/axes.json": "{\"old\": true}\n", "parts/run=old/part-0.parquet": "old part",
        ]
        for (name, text) in old { try Data(text.utf8).write(to: URL(fileURLWithPath: out + "/" + name)) }
        let before = try snapshot(out)
        // The store is in WAL mode: a reader maps its 32 KiB -shm file, which a process under an
        // 8-block file-size limit could not create. A connection held open keeps it in place, so the
        // limit falls on the outputs alone.
        let holder = try PythonPeer("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM run').fetchall(); print('open', flush=True); sys.stdin.readline()", store: db)
        XCTAssertEqual(holder.line(), "open")
        let commands: [(target: String, arguments: [String])] = [
            ("v.csv", ["export", "values", "--run", "modadd", "-o", out + "/v.csv"]),
            ("cap.csv", ["capacity", "--run", "modadd", "--by", "component", "-o", out + "/cap.csv"]),
            ("r.html", ["report", "--run", "modadd", "-o", out + "/r.html"]),
            ("c.svg", ["plot", "capacity", "--run", "modadd", "-o", out + "/c.svg"]),
            ("v.parquet", ["export", "values", "--run", "modadd", "-o", out + "/v.parquet"]),
            ("d/x.npy", ["export", "values", "--run", "modadd", "-o", out + "/d/x.npy", "--force"]),
            ("parts", ["export", "values", "--run", "modadd", "--partition-by", "checkpoint_step", "--format", "parquet", "-o", out + "/parts", "--force"]),
        ]
        for (target, arguments) in commands {
            // 8 blocks: a few KB, less than any of these outputs.
            let result = try limited(8, arguments + ["--db", db])
            XCTAssertEqual(result.status, 1, "\(target): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("attrdb: \(out)/"), "\(target): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("File too large") && result.stderr.contains("left as it was"), "\(target): \(result.stderr)")
            XCTAssertEqual(try snapshot(out), before, "\(target): the old output changed or something was left beside it")
        }
        holder.send("done")
        // Without the limit, the same commands replace the old outputs.
        for (target, arguments) in commands {
            let result = try CLI.run(arguments + ["--db", db])
            XCTAssertEqual(result.status, 0, "\(target): \(result.stderr)")
        }
        let after = try snapshot(out)
        XCTAssertEqual(Set(after.keys.filter { !$0.hasPrefix("parts/") }), ["v.csv", "cap.csv", "r.html", "c.svg", "v.parquet", "d/", "d/x.npy", "d/axes.json"])
        XCTAssertFalse(after.keys.contains("parts/run=old/"), "the old folder was replaced")
        XCTAssertTrue(after.keys.contains("parts/checkpoint_step=4000/part-0.parquet"), after.keys.sorted().joined(separator: " "))
        for name in ["v.csv", "cap.csv", "r.html", "c.svg", "v.parquet", "d/x.npy", "d/axes.json"] {
            XCTAssertNotEqual(after[name], before[name], name)
        }
    }

    /// A real small file system, where this machine lets us mount one: the disk fills up mid-export.
    func testAFullDiskLeavesTheOldExportAsItWas() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let mount = folder.path("tiny")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        // 64 KiB: smaller than each export below (the ZSTD-compressed Parquet one is about 200 KB).
        guard try CLI.run(["-c", "mount -t tmpfs -o size=64k tmpfs \"$0\"", mount], executable: URL(fileURLWithPath: "/bin/sh")).status == 0 else {
            throw XCTSkip("cannot mount a tmpfs here")
        }
        defer { _ = try? CLI.run(["-c", "umount \"$0\"", mount], executable: URL(fileURLWithPath: "/bin/sh")) }
        try Data("old csv\n".utf8).write(to: URL(fileURLWithPath: mount + "/v.csv"))
        try Data("old parquet".utf8).write(to: URL(fileURLWithPath: mount + "/v.parquet"))
        try FileManager.default.createDirectory(atPath: mount + "/parts", withIntermediateDirectories: true)
        try Data("old part".utf8).write(to: URL(fileURLWithPath: mount + "/parts/part-0.parquet"))
        let before = try snapshot(mount)
        for arguments in [["-o", mount + "/v.csv"], ["-o", mount + "/v.parquet"], ["--partition-by", "checkpoint_step", "--format", "parquet", "-o", mount + "/parts", "--force"]] {
            let result = try CLI.run(["export", "values", "--run", "modadd", "--db", db] + arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("No space left on device") && result.stderr.contains("left as it was"), "\(arguments): \(result.stderr)")
            XCTAssertEqual(try snapshot(mount), before, "\(arguments)")
        }
    }

    func testNpyExportDoesNotSilentlyReplaceAnAxesFileItWasNotNamed() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        try FileManager.default.createDirectory(atPath: folder.path("d"), withIntermediateDirectories: true)
        let axes = folder.path("d/axes.json")
        let theirs = Data("{\"mine\": true}\n".utf8)
        try theirs.write(to: URL(fileURLWithPath: axes))
        let refused = try CLI.run(["export", "values", "--run", "modadd", "-o", folder.path("d/x.npy"), "--db", db])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertEqual(refused.stderr, "attrdb: \(axes): already exists and holds other axes; export values writes the axes beside the array (use --force to replace it)\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: axes)), theirs)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path("d")), ["axes.json"])
        let named = try CLI.run(["export", "values", "--run", "modadd", "--format", "npy", "-o", axes, "--db", db, "--force"])
        XCTAssertEqual(named.stderr, "attrdb: \(axes): the axes go to axes.json beside the array; give the array another name, e.g. attributions.npy\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: axes)), theirs)
        // With --force it is replaced; the same export again needs no --force: the axes are the same.
        XCTAssertEqual(try CLI.run(["export", "values", "--run", "modadd", "-o", folder.path("d/x.npy"), "--db", db, "--force"]).status, 0)
        let written = try Data(contentsOf: URL(fileURLWithPath: axes))
        XCTAssertNotEqual(written, theirs)
        let again = try CLI.run(["export", "values", "--run", "modadd", "-o", folder.path("d/x.npy"), "--db", db])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path("d")).sorted(), ["axes.json", "x.npy"])
    }

    func testAPartitionedExportRefusesAFolderWithFilesUnlessForced() throws {
        let folder = try TemporaryFolder()
        let db = try store(folder)
        let parts = folder.path("parts")
        try FileManager.default.createDirectory(atPath: parts, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: parts + "/notes.txt"))
        let refused = try CLI.run(["export", "values", "--run", "modadd", "--partition-by", "checkpoint_step", "--format", "parquet", "-o", parts, "--db", db])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--force"), refused.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parts), ["notes.txt"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path("")).sorted(), ["parts", "s.sqlite"])
    }

    /// SIGINT or SIGTERM mid-export: the temporary file or folder is removed, the old output stays.
    func testAnInterruptedExportLeavesNothingBeside() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let big = folder.path("big")
        _ = try CLI.python("""
            import sys, os
            sys.path.insert(0, os.path.join(sys.argv[2], 'Benchmarks'))
            import bench
            bench.make_dataset(sys.argv[1], 60, 128, 800, seed=6)
            """, [big, CLI.repositoryRoot.path])
        XCTAssertEqual(try CLI.run(["ingest", big, "--run", "big", "--db", db]).status, 0)
        let out = folder.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data("old csv\n".utf8).write(to: URL(fileURLWithPath: out + "/v.csv"))
        let before = try snapshot(out)
        for (signal, arguments) in [(SIGINT, ["-o", out + "/v.csv"]), (SIGTERM, ["--partition-by", "checkpoint_step", "--format", "parquet", "-o", out + "/parts"])] {
            let process = Process()
            process.executableURL = CLI.binary
            process.arguments = ["export", "values", "--run", "big", "--db", db] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait for the temporary output to appear beside the target, then interrupt.
            let start = Date()
            while process.isRunning && Date().timeIntervalSince(start) < 30,
                  !((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).contains(where: { $0.hasSuffix(".partial") }) {
                usleep(5_000)
            }
            XCTAssertTrue(process.isRunning, "the export ended before it could be interrupted")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 128 + signal)
            XCTAssertEqual(try snapshot(out), before, "signal \(signal)")
        }
    }
}
