import XCTest

/// `attrdb show` prints the run's config one setting a row, nested keys joined with dots.
final class ShowCommandTests: XCTestCase {
    func testTheConfigIsFlattenedIntoOneRowPerSetting() throws {
        let folder = try TemporaryFolder()
        let db = try CLI.exampleStore(in: folder)
        let csv = try CLI.run(["show", "modadd", "--db", db, "--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        let config = csv.stdout.split(separator: "\n").filter { $0.hasPrefix("config") }
        XCTAssertEqual(config.joined(separator: "\n"), """
            config.counterfactual_prompt_tokens,"[7,30,59]"
            config.decomposition,"get_full_resid_decomposition(expand_neurons=False, apply_ln=True, pos_slice=-1)"
            config.hook,blocks.1.hook_resid_pre
            config.logit_diff.minus_token,19
            config.logit_diff.plus_token,37
            config.model_config.act_fn,relu
            config.model_config.d_head,32
            config.model_config.d_mlp,256
            config.model_config.d_model,128
            config.model_config.d_vocab,60
            config.model_config.d_vocab_out,59
            config.model_config.n_ctx,3
            config.model_config.n_heads,4
            config.model_config.n_layers,2
            config.model_config.normalization_type,LN
            config.model_config.seed,0
            config.prompt_tokens,"[7,12,59]"
            config.steering_vector,"resid(counterfactual_prompt) - resid(prompt) at the hook, all positions"
            config.task,"a + b mod 59; tokens [a, b, '=']; predict the sum at the last position"
            config.torch_version,2.15.0+cu132
            config.training.lr,0.001
            config.training.optimizer,AdamW
            config.training.steps,4000
            config.training.weight_decay,1
            config.transformer_lens_version,unknown
            """)
        let table = try CLI.run(["show", "modadd", "--db", db, "--format", "table"])
        let lines = table.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertTrue(lines.contains("config.training.lr                      0.001"), table.stdout)
        XCTAssertTrue(lines.contains("tags"), "no trailing spaces after an empty value: \(table.stdout)")
    }

    func testListsOfObjectsAreNumberedAndAnEmptyConfigHasNoRows() throws {
        let folder = try TemporaryFolder()
        let db = folder.path("s.sqlite")
        let axes = #"{"checkpoint_steps": [1], "coefficients": [0], "components": ["L0H0"], "metadata": {"layers": [{"d": 4}, {"d": 8}], "flag": true, "none": null, "empty": {}}}"#
        try axes.write(toFile: folder.path("axes.json"), atomically: true, encoding: .utf8)
        // A float32 .npy of shape (1, 1, 1) holding 0.5.
        var npy = Data([0x93]) + Data("NUMPY".utf8) + Data([1, 0])
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        npy += Data([UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]) + Data(header.utf8)
        npy += withUnsafeBytes(of: Float(0.5).bitPattern.littleEndian) { Data($0) }
        try npy.write(to: folder.url.appendingPathComponent("attributions.npy"))
        let ingest = try CLI.run(["ingest", folder.url.path, "--run", "r", "--db", db])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        let show = try CLI.run(["show", "r", "--db", db, "--format", "csv"])
        XCTAssertEqual(show.stdout.split(separator: "\n").filter { $0.hasPrefix("config") }.joined(separator: "\n"), """
            config.empty,{}
            config.flag,true
            config.layers.0.d,4
            config.layers.1.d,8
            config.none,null
            """)
        let record = #"{"checkpoint_step": 1, "coefficient": 0.0, "component": "L0H0", "value": 0.5}"# + "\n"
        XCTAssertEqual(try CLI.run(["ingest", "-", "--run", "live", "--db", db], stdin: record).status, 0)
        let live = try CLI.run(["show", "live", "--db", db, "--format", "csv"])
        XCTAssertEqual(live.status, 0, live.stderr)
        XCTAssertFalse(live.stdout.contains("config"), live.stdout)
    }
}
