import Foundation
import XCTest

/// A refused ingest exits 4, every time (issue 9, defect 6): the prefetching reader's last release
/// could happen on its own queue, and its deinit then called `queue.sync` on that queue — SIGILL
/// (exit 132) in about 1 run in 60.
final class ConflictRaceCommandTests: XCTestCase {
    /// Re-ingests conflicting values into the same run ATTRDB_CONFLICT_RUNS times (200 here, 1 000
    /// in `make reliability`, where a debug build takes about 200 ms a run).
    func testARefusedReingestExitsFourEveryTime() throws {
        let runs = ProcessInfo.processInfo.environment["ATTRDB_CONFLICT_RUNS"].flatMap(Int.init) ?? 200
        let folder = try TemporaryFolder()
        _ = try CLI.python("""
            import json, os, sys, numpy as np
            for name, seed in [("a", 1), ("b", 2)]:
                path = os.path.join(sys.argv[1], name)
                os.makedirs(path)
                # Checkpoint 1 is still being read on the prefetch thread when checkpoint 0 is refused.
                c, j, p = 3, 16, 512
                np.save(os.path.join(path, "attributions.npy"), np.random.default_rng(seed).standard_normal((c, j, p)).astype(np.float32))
                axes = {"checkpoint_steps": list(range(c)), "coefficients": [float(x) for x in range(j)], "metric": "m",
                        "components": [{"label": f"L0N{k}", "layer": 0, "kind": "neuron", "index": k} for k in range(p)]}
                json.dump(axes, open(os.path.join(path, "axes.json"), "w"))
            """, [folder.url.path])
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try CLI.run(["ingest", folder.path("a"), "--run", "r", "--db", db]).status, 0)
        var statuses: [Int32: Int] = [:]
        var other = ""
        for _ in 0..<runs {
            let result = try CLI.run(["ingest", folder.path("b"), "--run", "r", "--db", db])
            statuses[result.status, default: 0] += 1
            if result.status != 4 { other = result.stderr }
        }
        XCTAssertEqual(statuses, [4: runs], "exit statuses over \(runs) runs; last other: \(other)")
    }
}
