import Foundation
import XCTest

/// The real TransformerLens dataset the analysis kernels are checked on.
enum ModAddData {
    /// The bundled copy in the repository, else the shared copy on the development machine.
    static func folder() throws -> URL {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            root.appendingPathComponent("examples/tl-modadd"),
            URL(fileURLWithPath: "/work/shared/data/tl-modadd"),
        ]
        for candidate in candidates
        where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("attributions.npy").path) {
            return candidate
        }
        throw XCTSkip("the tl-modadd dataset is not available")
    }

    /// attributions.npy: shape [checkpoints, coefficients, components] and its values in C order.
    ///
    /// Just enough of the format for this one file (version 1.0, '<f4', C order); the library's
    /// own reader lives elsewhere and is tested there.
    static func attributions() throws -> (shape: [Int], values: [Float]) {
        let data = try Data(contentsOf: folder().appendingPathComponent("attributions.npy"))
        let bytes = [UInt8](data)
        guard bytes.count > 10, bytes[0] == 0x93, String(decoding: bytes[1..<6], as: UTF8.self) == "NUMPY",
              bytes[6] == 1, bytes[7] == 0 else {
            throw NPYTestError.unsupported("not a version 1.0 .npy file")
        }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False"),
              let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")")
        else { throw NPYTestError.unsupported(header) }
        let shape = header[open.upperBound..<close].split(separator: ",")
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        let start = 10 + headerLength
        guard bytes.count == start + 4 * count else { throw NPYTestError.unsupported("size does not match shape") }
        let values = (0..<count).map { i -> Float in
            let o = start + 4 * i
            let bits = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
            return Float(bitPattern: bits)
        }
        return (shape, values)
    }

    /// The profile (values over the coefficient grid) of every component at every checkpoint,
    /// as [checkpoint][component][coefficient], in double precision.
    static func profiles() throws -> [[[Double]]] {
        let (shape, values) = try attributions()
        let (checkpoints, coefficients, components) = (shape[0], shape[1], shape[2])
        return (0..<checkpoints).map { t in
            (0..<components).map { c in
                (0..<coefficients).map { k in Double(values[(t * coefficients + k) * components + c]) }
            }
        }
    }

    /// The rows of a CSV file in the dataset, as dictionaries keyed by the header.
    static func csv(_ name: String) throws -> [[String: String]] {
        let text = try String(contentsOf: folder().appendingPathComponent(name), encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }
}

enum NPYTestError: Error {
    case unsupported(String)
}

/// Independent reference computations in Python with numpy (and scipy where needed).
enum NumpyOracle {
    /// Runs `script` with python3; the script reads JSON `input` from the file named by sys.argv[1]
    /// and prints one JSON document. Skips the test when python3, numpy or scipy is missing.
    static func run(_ script: String, input: Any = [String: Any]()) throws -> Any {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attrdb-math-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputURL = folder.appendingPathComponent("input.json")
        let outputURL = folder.appendingPathComponent("stdout")
        let errorURL = folder.appendingPathComponent("stderr")
        try JSONSerialization.data(withJSONObject: input).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [Python.command, "-c", script, inputURL.path]
        // Files rather than pipes: a large output cannot fill a pipe buffer and stall both sides.
        let output = try FileHandle(forWritingTo: outputURL)
        let errors = try FileHandle(forWritingTo: errorURL)
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw XCTSkip("cannot run python3: \(error)") }
        process.waitUntilExit()
        try output.close()
        try errors.close()

        let errorText = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            if errorText.contains("No module named") || process.terminationStatus == 127 {
                throw XCTSkip("python3 with numpy and scipy is needed: \(errorText)")
            }
            throw NPYTestError.unsupported("python failed: \(errorText)")
        }
        return try JSONSerialization.jsonObject(with: Data(contentsOf: outputURL))
    }
}

/// Asserts |actual − expected| ≤ relative · |expected| (or ≤ relative when expected is 0).
func assertRelativelyClose(
    _ actual: Double, _ expected: Double, _ relative: Double, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    let allowed = relative * max(abs(expected), expected == 0 ? 1 : 0)
    XCTAssertLessThanOrEqual(
        abs(actual - expected), allowed, "\(message): \(actual) vs \(expected)", file: file, line: line)
}
