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
        let result = try CLI.run([script, "--attrdb", CLI.binary.path], executable: URL(fileURLWithPath: "/usr/bin/env"), prefix: ["python3"])
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("hostile npz: PASS"), result.stdout)
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
