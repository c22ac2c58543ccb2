import Foundation
import XCTest
@testable import AttrDB

/// Dataset folders, .npy and .npz inputs: what ingests, and every bad input the issue lists, each
/// with its exact error and the store left unchanged.
final class DatasetFolderTests: XCTestCase {
    /// Writes a folder with a small numpy array and axes.json; `mutate` is Python run with
    /// `a` (the array), `axes` (a dict) and `folder` in scope before they are saved.
    private func folder(_ fixture: IngestFixture, _ name: String, _ mutate: String = "", save: String? = nil) throws -> String {
        let path = fixture.folder.path(name)
        _ = try python("""
            import numpy as np, json, os, sys
            folder = sys.argv[1]; os.makedirs(folder, exist_ok=True)
            a = (np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4) - 5) / 4
            axes = {"checkpoint_steps": [10, 20], "coefficients": [-1.0, 0.0, 1.0], "metric": "logit_diff",
                    "components": [{"label": "L0H0", "layer": 0, "kind": "attn_head", "index": 0},
                                   {"label": "L0H1", "layer": 0, "kind": "attn_head", "index": 1},
                                   {"label": "0_mlp_out", "layer": 0, "kind": "mlp", "index": None},
                                   {"label": "embed", "layer": -1, "kind": "embed", "index": None}],
                    "metadata": {"model": "toy", "task": "test"}}
            \(mutate)
            \(save ?? "np.save(os.path.join(folder, 'attributions.npy'), a)")
            if axes is not None:
                open(os.path.join(folder, 'axes.json'), 'w').write(json.dumps(axes) if isinstance(axes, dict) else axes)
            """, arguments: [path])
        return path
    }

    private func exported(_ fixture: IngestFixture, run: String) throws -> [Float] {
        let selection = try ScanSelection(store: fixture.store, run: run)
        var all: [Float] = []
        var buffer = [Float](repeating: 0, count: selection.valuesPerCheckpoint)
        for index in selection.checkpoints.indices {
            try buffer.withUnsafeMutableBufferPointer { try selection.matrixReader().read(checkpoint: index, into: $0) }
            all += buffer
        }
        return all
    }

    /// The fixture's values, component-major per checkpoint, as the store must hold them.
    private var expected: [Float] {
        var values: [Float] = []
        for c in 0..<2 {
            for p in 0..<4 {
                for j in 0..<3 {
                    let flat: Int = c * 12 + j * 4 + p
                    values.append(Float(flat - 5) / 4)
                }
            }
        }
        return values
    }

    func testFolderNpyAndNpzIngestTheSameValues() throws {
        let fixture = try IngestFixture()
        let good = try folder(fixture, "good")
        let summary = try fixture.ingest(good, run: "folder")
        XCTAssertEqual([summary.checkpoints, summary.coefficients, summary.components], [2, 3, 4])
        XCTAssertEqual(try exported(fixture, run: "folder"), expected)
        XCTAssertEqual(try fixture.store.run(named: "folder").model, "toy")
        let npz = fixture.folder.path("a.npz")
        _ = try folder(fixture, "z", save: "np.savez_compressed(\(pythonString(npz)), attributions=a, axes=json.dumps(axes)); axes = None")
        try fixture.ingest(npz, run: "npz")
        XCTAssertEqual(try exported(fixture, run: "npz"), expected)
        let big = try folder(fixture, "be", "a = np.asfortranarray(a.astype('>f8'))")
        try fixture.ingest(big, run: "fortran-be-f8")
        XCTAssertEqual(try exported(fixture, run: "fortran-be-f8"), expected)
        for version in ["(2, 0)", "(3, 0)"] {
            let path = try folder(fixture, "v\(version.prefix(2).last ?? "x")", save: "np.lib.format.write_array(open(os.path.join(folder, 'attributions.npy'), 'wb'), a, version=\(version))")
            try fixture.ingest(path, run: "npy-version-\(version)")
            XCTAssertEqual(try exported(fixture, run: "npy-version-\(version)"), expected, version)
            XCTAssertEqual(try NPYArray(path: path + "/attributions.npy").header.majorVersion, Int(String(version.dropFirst().prefix(1))))
        }
        let half = try folder(fixture, "f2", "a = a.astype('<f2')")
        try fixture.ingest(half, run: "f2")
        XCTAssertEqual(try exported(fixture, run: "f2"), expected.map { Float(Float16($0)) })
    }

    private func pythonString(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "\\'") + "'" }

    func testBadInputsGiveExactErrorsAndLeaveTheStoreUnchanged() throws {
        let fixture = try IngestFixture()
        try fixture.ingest(try folder(fixture, "base"), run: "existing")
        let cases: [(name: String, mutate: String, save: String?, file: String, message: String)] = [
            ("truncated", "", "np.save(os.path.join(folder, 'attributions.npy'), a); p = os.path.join(folder, 'attributions.npy'); open(p, 'r+b').truncate(os.path.getsize(p) - 10)",
             "attributions.npy", "byte 128: expected 96 bytes of data for shape (2, 3, 4) of '<f4', found 86 bytes"),
            ("magic", "", "open(os.path.join(folder, 'attributions.npy'), 'wb').write(b'NUMPY not really')",
             "attributions.npy", "byte 0: expected the .npy magic string '\\x93NUMPY', found 'NUMPY '"),
            ("int", "a = a.astype(np.int32)", nil, "attributions.npy", "byte 20: expected a float dtype (<f4, >f4, <f8, >f8, <f2 or >f2), found '<i4' (32-bit signed integer)"),
            ("complex", "a = a.astype(np.complex64)", nil, "attributions.npy", "byte 20: expected a float dtype (<f4, >f4, <f8, >f8, <f2 or >f2), found '<c8' (64-bit complex)"),
            ("object", "a = a.astype(object)", nil, "attributions.npy", "byte 20: expected a float dtype (<f4, >f4, <f8, >f8, <f2 or >f2), found '|O' (Python objects)"),
            ("structured", "a = np.zeros((2, 3, 4), dtype=[('x', '<f4'), ('y', '<f4')])", nil, "attributions.npy",
             "byte 20: expected a float dtype (<f4, >f4, <f8, >f8, <f2 or >f2), found '[('x', '<f4'), ('y', '<f4')]' (a structured dtype)"),
            ("shape", "axes['coefficients'] = [0.0, 1.0]", nil, "attributions.npy",
             "expected shape (2, 2, 4) = (checkpoints, coefficients, components) from FOLDER/axes.json, found shape (2, 3, 4)"),
            ("duplicate", "axes['components'][1]['label'] = 'L0H0'", nil, "axes.json",
             "key 'components[1].label': expected distinct component labels, found 'L0H0' again (first at index 0)"),
            ("kind", "axes['components'][2]['kind'] = 'attention'", nil, "axes.json",
             "key 'components[2].kind': expected one of embed, pos_embed, attn_head, mlp, neuron, bias, found the string 'attention'"),
            ("missing", "del axes['coefficients']", nil, "axes.json", "key 'coefficients': expected the key 'coefficients', found no such key"),
            ("notjson", "axes = '{\"checkpoint_steps\": [10, 20],'", nil, "axes.json", "expected a JSON object, found text that is not JSON (unexpected end of input at byte 30)"),
            ("utf8", "axes = json.dumps(axes).replace('L0H1', 'L0H\\udcff', 1).encode('utf-8', 'surrogateescape').decode('latin-1')", nil, "axes.json", "UTF8"),
        ]
        for item in cases {
            let path = try folder(fixture, item.name, item.mutate, save: item.save)
            if item.name == "utf8" {
                // Write the label's raw 0xFF byte: not UTF-8.
                var bytes = try Data(contentsOf: URL(fileURLWithPath: path + "/axes.json"))
                bytes = Data(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "L0H\u{FF}", with: "L0H#").utf8)
                let broken = Data(bytes.map { $0 == UInt8(ascii: "#") ? 0xFF : $0 })
                try broken.write(to: URL(fileURLWithPath: path + "/axes.json"))
                let offset = broken.firstIndex(of: 0xFF) ?? -1
                try fixture.assertRefused("\(path)/axes.json: byte \(offset): expected UTF-8 text, found the byte 0xff, which is not valid UTF-8") {
                    try fixture.ingest(path, run: "new")
                }
                continue
            }
            let message = "\(path)/\(item.file): " + item.message.replacingOccurrences(of: "FOLDER", with: path)
            try fixture.assertRefused(message) { try fixture.ingest(path, run: "new-\(item.name)") }
        }
    }

    func testNpzThatIsNotAZipAndAModelConflict() throws {
        let fixture = try IngestFixture()
        let fake = try fixture.file("fake.npz", "just text\n")
        try fixture.assertRefused("\(fake): byte 0: expected a zip archive (.npz, starting 'PK\\x03\\x04'), found 'just'") {
            try fixture.ingest(fake, run: "x")
        }
        let base = try folder(fixture, "base")
        try fixture.ingest(base, run: "r")
        let other = try folder(fixture, "other", "axes['metadata']['model'] = 'gpt2'")
        try fixture.assertRefused("\(other): run 'r' exists with model 'toy', the input says 'gpt2'; use another run name, or --replace") {
            try fixture.ingest(other, run: "r")
        }
    }

    func testAppendingAFurtherCheckpoint() throws {
        let fixture = try IngestFixture()
        try fixture.ingest(try folder(fixture, "first"), run: "r")
        let later = try folder(fixture, "later", "a = a[1:] * 2; axes['checkpoint_steps'] = [30]")
        let summary = try fixture.ingest(later, run: "r")
        XCTAssertEqual([summary.added, summary.unchanged], [1, 0])
        XCTAssertEqual(try ScanSelection(store: fixture.store, run: "r").checkpoints.map(\.step), [10, 20, 30])
    }
}
