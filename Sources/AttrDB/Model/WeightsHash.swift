/// The SHA-256 of a checkpoint's model weights (`checkpoint.weights_sha256`): 64 lowercase hex digits.
/// Two checkpoints of one run with the same hash hold identical weights — a model hub serving one
/// revision under two step names — which `attrdb check` warns about and `attrdb show` flags.
public struct WeightsHash: Hashable, Sendable, CustomStringConvertible {
    /// The 64 lowercase hex digits.
    public let hex: String

    /// The hash from 64 hex digits, either case (stored lowercase); nil for anything else.
    public init?(hex text: String) {
        let digits = Array(text.utf8)
        guard digits.count == 64, digits.allSatisfy({ $0.isHexDigit }) else { return nil }
        hex = text.lowercased()
    }

    /// The first 12 digits and an ellipsis: enough to tell hashes apart in a message.
    public var short: String { String(hex.prefix(12)) + "…" }

    public var description: String { hex }
}

/// Checkpoints of one run whose weights hash the same: the steps in ascending order (two or more).
public struct DuplicateWeights: Equatable, Sendable, CustomStringConvertible {
    public var run: String
    public var hash: WeightsHash
    public var steps: [Int]

    /// "steps 1000, 2000 have identical weights (sha256 ab12cd34ef56…)"
    public var description: String {
        "steps \(steps.map(String.init).joined(separator: ", ")) have identical weights (sha256 \(hash.short))"
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool { (0x30...0x39).contains(self) || (0x61...0x66).contains(self) || (0x41...0x46).contains(self) }
}
