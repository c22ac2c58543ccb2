import AttrDB
import Foundation
import XCTest

/// The profile sets the clustering kernels are checked on, built the same way in Swift and in the
/// Python oracle: z-normalised profiles over the coefficient grid, constant profiles left out.
enum ProfileSet: String {
    /// The 13 components at the final checkpoint.
    case finalCheckpoint = "final"
    /// Every (checkpoint, component) pair, checkpoint-major: about 430 profiles.
    case allCheckpoints = "all"

    /// (raw profiles, z-normalised profiles), constant profiles left out.
    func profiles() throws -> (raw: [[Double]], normalized: [[Double]]) {
        let byCheckpoint = try ModAddData.profiles()
        let raw = self == .finalCheckpoint ? byCheckpoint[byCheckpoint.count - 1] : byCheckpoint.flatMap { $0 }
        let kept = raw.filter { !ZNormalizedProfile($0).isConstant }
        return (kept, kept.map { ZNormalizedProfile($0).values })
    }

    /// Python that defines `P` (raw) and `Z` (z-normalised) for this set from the .npy, as numpy does it.
    func pythonPrelude() throws -> String {
        let npy = try ModAddData.folder().appendingPathComponent("attributions.npy").path
        return """
        import json, sys
        import numpy as np
        inp = json.load(open(sys.argv[1]))
        a = np.load(\(pythonString(npy))).astype(np.float64)
        P = a[-1].T if \(pythonString(rawValue)) == 'final' else a.transpose(0, 2, 1).reshape(-1, a.shape[1])
        P = P[[not np.all(p == p[0]) for p in P]]
        Z = (P - P.mean(axis=1, keepdims=True)) / P.std(axis=1, keepdims=True)

        """
    }
}

/// A Python string literal: the JSON encoding of a string is one, once slashes go unescaped.
func pythonString(_ text: String) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .withoutEscapingSlashes
    return String(decoding: (try? encoder.encode(text)) ?? Data("''".utf8), as: UTF8.self)
}

/// Reads a JSON array of arrays of numbers.
func doubleRows(_ value: Any?) throws -> [[Double]] {
    let rows = try XCTUnwrap(value as? [[Any]])
    return try rows.map { row in try row.map { try XCTUnwrap(($0 as? NSNumber)?.doubleValue) } }
}

/// Reads a JSON array of integers.
func integers(_ value: Any?) throws -> [Int] {
    let items = try XCTUnwrap(value as? [Any])
    return try items.map { try XCTUnwrap(($0 as? NSNumber)?.intValue) }
}
