import Foundation
@testable import AttrDB

/// A dataset folder as a Python experiment writes it (attributions.npy, axes.json, losses.csv,
/// resid_norms.csv, wov_norms.csv), small enough that every I/O operation of its ingest can be
/// failed in turn. Values depend on the step, coefficient, component and `scale`, so a second
/// folder with another scale conflicts with the first at every checkpoint.
struct SmallDataset {
    var steps: [Int]
    var coefficients: [Double]
    /// Layers of two heads and an MLP each, after the embedding.
    var layers: Int
    var scale: Float = 1

    var components: [(label: String, layer: Int, kind: String, index: Int?)] {
        var all: [(String, Int, String, Int?)] = [("embed", -1, "embed", nil)]
        for layer in 0..<layers {
            all += [("L\(layer)H0", layer, "attn_head", 0), ("L\(layer)H1", layer, "attn_head", 1), ("\(layer)_mlp_out", layer, "mlp", nil)]
        }
        return all
    }

    /// The size of the sweep's data from the environment: ATTRDB_FAULT_SCALE=N multiplies the
    /// coefficients and layers (make reliability uses 64: matrices of several 64 KiB pages).
    static func scaled(steps: [Int], scale: Float = 1) -> SmallDataset {
        let factor = max(1, Int(ProcessInfo.processInfo.environment["ATTRDB_FAULT_SCALE"] ?? "") ?? 1)
        let count = 4 * factor
        return SmallDataset(steps: steps, coefficients: (0..<count).map { Double($0) - Double(count / 2) }, layers: 2 * factor, scale: scale)
    }

    /// Writes the folder at `path` (created when missing).
    func write(to path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let url = URL(fileURLWithPath: path)
        try npy().write(to: url.appendingPathComponent("attributions.npy"))
        try axes().write(to: url.appendingPathComponent("axes.json"), atomically: true, encoding: .utf8)
        var losses = ["checkpoint_step,train_loss,test_acc"]
        var norms = ["checkpoint_step,layer,hook,norm"]
        var wov = ["checkpoint_step,layer,head,frobenius_norm"]
        for step in steps {
            losses.append("\(step),\(scale * 4 / Float(step + 1)),\(Float(step) / 100)")
            for layer in 0..<layers {
                norms.append("\(step),\(layer),resid_pre,\(scale * Float(layer + 1) * 1.5)")
                for head in 0..<2 { wov.append("\(step),\(layer),\(head),\(scale * Float(head + 2) + Float(step) / 1000)") }
            }
        }
        for (name, lines) in [("losses.csv", losses), ("resid_norms.csv", norms), ("wov_norms.csv", wov)] {
            try (lines.joined(separator: "\n") + "\n").write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    /// `[checkpoints, coefficients, components]` float32, little-endian, numpy format 1.0.
    private func npy() -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(steps.count), \(coefficients.count), \(components.count)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        data.append(contentsOf: [UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        for step in steps {
            for coefficient in coefficients {
                for position in components.indices {
                    let value = scale * (Float(step) / 10 + Float(coefficient) * Float(position + 1) / 8)
                    withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
                }
            }
        }
        return data
    }

    private func axes() -> String {
        let components = self.components.map { c in
            "{\"label\": \"\(c.label)\", \"layer\": \(c.layer), \"kind\": \"\(c.kind)\", \"index\": \(c.index.map(String.init) ?? "null")}"
        }
        return """
            {"checkpoint_steps": [\(steps.map(String.init).joined(separator: ", "))],
             "coefficients": [\(coefficients.map { "\($0)" }.joined(separator: ", "))],
             "metric": "logit_diff", "components": [\(components.joined(separator: ", "))],
             "metadata": {"model": "toy", "task": "faults"}}
            """
    }
}
