import Foundation
import XCTest

/// Zip bombs and members that lie about their size (issue 9, defect 5): each ingest is refused with
/// exit 1 and a clear error, peak RSS stays under 300 MB, and $TMPDIR is left as it was.
final class HostileArchiveCommandTests: XCTestCase {
    /// Tests/reliability/hostile_npz.py writes the archives (1 GiB members deflated to about 1 MB),
    /// ingests each under /usr/bin/time with TMPDIR an empty folder and a 64 MB file-size limit,
    /// and checks status, message, peak RSS and TMPDIR.
    func testZipBombsStayUnder300MBAndLeaveTMPDIRAsItWas() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else { throw XCTSkip("/usr/bin/time is not installed") }
        let script = CLI.repositoryRoot.appendingPathComponent("Tests/reliability/hostile_npz.py").path
        let result = try CLI.run([script, "--attrdb", CLI.binary.path], executable: URL(fileURLWithPath: "/usr/bin/env"), prefix: [Python.command])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("hostile npz: PASS"), result.stdout)
    }

    /// A real TMPDIR that fills up (a 4 MB tmpfs, where this machine lets us mount one) while a
    /// genuine 1 GiB member is spilled to it: a clear error, and the tmpfs left empty.
    func testAFullTmpfsGivesAClearErrorAndIsLeftEmpty() throws {
        let folder = try TemporaryFolder()
        let script = CLI.repositoryRoot.appendingPathComponent("Tests/reliability/hostile_npz.py").path
        XCTAssertEqual(try CLI.run([script, "--make", folder.url.path], executable: URL(fileURLWithPath: "/usr/bin/env"), prefix: [Python.command]).status, 0)
        let mount = folder.path("tiny")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        guard try CLI.run(["-c", "mount -t tmpfs -o size=4m tmpfs \"$0\"", mount], executable: URL(fileURLWithPath: "/bin/sh")).status == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (hostile_npz.py covers a full TMPDIR with ulimit -f)")
        }
        defer { _ = try? CLI.run(["-c", "umount \"$0\"", mount], executable: URL(fileURLWithPath: "/bin/sh")) }
        let npz = folder.path("array-1gib.npz")
        let result = try CLI.run(["ingest", npz, "--run", "r", "--db", folder.path("s.sqlite")], environment: ["TMPDIR": mount])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("attrdb: \(npz) (member attributions): cannot extract to a temporary file in \(mount) (No space left on device) after "), result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mount), [])
    }

    /// A good archive is ingested through the temporary file, which is gone afterwards.
    func testAGoodArchiveLeavesTMPDIRAsItWas() throws {
        let folder = try TemporaryFolder()
        let tmp = folder.path("tmp")
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let npz = folder.path("run.npz")
        _ = try CLI.python("""
            import json, sys, numpy as np
            axes = {"checkpoint_steps": [1, 2], "coefficients": [0.0, 1.0], "metric": "m",
                    "components": [{"label": "L0H0", "layer": 0, "kind": "attn_head", "index": 0}]}
            np.savez_compressed(sys.argv[1], attributions=np.ones((2, 2, 1), np.float32), axes=json.dumps(axes))
            """, [npz])
        let result = try CLI.run(["ingest", npz, "--run", "r", "--db", folder.path("s.sqlite")], environment: ["TMPDIR": tmp])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: tmp), [])
    }
}
