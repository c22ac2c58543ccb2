import Foundation
import XCTest

/// Weights hashes (`K` frames, checkpoint.weights_sha256): stored, re-logged, refused, replaced, and
/// identical weights under two steps warned about by `check` and flagged by `show`.
extension FrameStreamCommandTests {
    /// Two SHA-256s (of b"a" and b"b"), as the writer's Python names them: A, B.
    static let hashes = """
        import hashlib
        A, B = hashlib.sha256(b'a').hexdigest(), hashlib.sha256(b'b').hexdigest()
        def weights(step, sha):
            return js(b'K', {'step': step, 'sha256': sha})

        """
    static let hashA = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
    static let hashB = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"

    /// Ingests the stream the Python expression `expression` makes (the frame writer and `weights` in scope).
    private func ingest(_ db: String, _ expression: String, _ options: [String] = []) throws -> CLI.Result {
        let input = db + ".frames"
        _ = try CLI.python(FrameStreamCommandTests.writer + FrameStreamCommandTests.hashes + "open(sys.argv[1], 'wb').write(\(expression))\n", [input])
        return try run(["ingest", "-", "--format", "frames", "--db", db] + options, stdinFile: input)
    }

    private func storedHashes(_ db: String) throws -> String {
        try CLI.run(["sql", "--db", db, "SELECT step, weights_sha256 FROM checkpoint ORDER BY step", "--format", "csv", "--no-headers"]).stdout
    }

    func testWeightsHashesAreStoredAndIdenticalWeightsAreWarnedAboutByCheckAndFlaggedByShow() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        // Steps 0, 10, 20 with matrices; 0 and 20 share A (20's in upper case); 30 has a hash and no matrix.
        let result = try ingest(db, "stream(stats=False, end=False) + weights(0, A) + weights(10, B) + weights(20, A.upper()) + weights(30, B) + js(b'E', {'complete': True})")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, String(repeating: "ok\n", count: 1 + 3 + 4 + 1))
        let a = FrameStreamCommandTests.hashA, b = FrameStreamCommandTests.hashB
        XCTAssertEqual(try storedHashes(db), "0,\(a)\n10,\(b)\n20,\(a)\n30,\(b)\n", "stored lowercase, step 30's checkpoint created")

        let check = try CLI.run(["check", "--db", db, "--format", "csv", "--no-headers"])
        XCTAssertEqual(check.status, 0, "identical weights are a warning, not a problem: \(check.stdout)")
        let warnings = check.stdout.split(separator: "\n").filter { $0.hasPrefix("duplicate_weights,") }
        XCTAssertEqual(warnings, ["duplicate_weights,warning,\"run r: steps 0, 20 have identical weights (sha256 \(a.prefix(12))…)\"",
                                  "duplicate_weights,warning,\"run r: steps 10, 30 have identical weights (sha256 \(b.prefix(12))…)\""], check.stdout)

        let show = try CLI.run(["show", "r", "--db", db, "--format", "csv", "--no-headers"]).stdout
        XCTAssertTrue(show.contains("weights_hashes,4\n"), show)
        XCTAssertTrue(show.contains("duplicate_weights,\"steps 0, 20 have identical weights (sha256 \(a.prefix(12))…)\"\n"), show)
        XCTAssertTrue(show.contains("duplicate_weights,\"steps 10, 30 have identical weights (sha256 \(b.prefix(12))…)\"\n"), show)
    }

    func testARunWithoutWeightsHashesShowsAsBeforeAndChecksOk() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        XCTAssertEqual(try ingest(db, "stream()").status, 0)
        let check = try CLI.run(["check", "--db", db, "--format", "csv", "--no-headers"]).stdout
        XCTAssertTrue(check.contains("duplicate_weights,ok,"), check)
        let show = try CLI.run(["show", "r", "--db", db, "--format", "csv", "--no-headers"]).stdout
        XCTAssertFalse(show.contains("weights_hashes") || show.contains("duplicate_weights"), show)
        XCTAssertTrue(show.hasSuffix("wov_norms,6\n"), show)
    }

    func testTheSameHashAgainChangesNothingAndAnotherIsAConflictUnlessReplace() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let a = FrameStreamCommandTests.hashA, b = FrameStreamCommandTests.hashB
        let conflict = try ingest(db, "stream(steps=[], stats=False, end=False) + weights(5, A) + weights(5, A) + weights(5, B)")
        XCTAssertEqual(conflict.status, 4, conflict.stderr)
        XCTAssertEqual(conflict.stdout, "ok\nok\nok\n", "the header and two identical hashes")
        XCTAssertTrue(conflict.stderr.hasPrefix("attrdb: -: frame 3 (K) at byte "), conflict.stderr)
        XCTAssertTrue(conflict.stderr.contains(": the weights of checkpoint 5 are already stored with sha256 \(a), the input says \(b); use --replace to overwrite"), conflict.stderr)
        XCTAssertEqual(try storedHashes(db), "5,\(a)\n")

        let replaced = try ingest(db, "stream(steps=[], stats=False, end=False) + weights(5, B) + js(b'E', {'complete': True})", ["--replace"])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        XCTAssertEqual(try storedHashes(db), "5,\(b)\n")
    }

    func testAMalformedWeightsFrameIsRefusedNamingTheFrameAndKey() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        for (payload, found) in [("{'step': 1, 'sha256': A[:63]}", "found '\(FrameStreamCommandTests.hashA.prefix(63))' (63 characters)"),
                                 ("{'step': 1, 'sha256': 'g' * 64}", "(64 characters)"),
                                 ("{'step': 1, 'sha256': 7}", "found the number 7"),
                                 ("{'step': 1}", "found no such key"),
                                 ("{'step': 1, 'sha256': A, 'algorithm': 'sha256'}", "found the key 'algorithm'"),
                                 ("{'step': 'one', 'sha256': A}", "key 'step': expected an integer")] {
            let result = try ingest(db, "stream(steps=[], stats=False, end=False) + js(b'K', \(payload))")
            XCTAssertEqual(result.status, 1, payload)
            XCTAssertTrue(result.stderr.hasPrefix("attrdb: -: frame 1 (K) at byte "), result.stderr)
            XCTAssertTrue(result.stderr.contains(found), "\(payload): \(result.stderr)")
            XCTAssertEqual(try storedHashes(db), "", "nothing of the frame is stored")
        }
    }
}
