/// The bounds of the numbers query options take, checked in one place for every front end (the
/// command line's options, the HTTP API's parameters), so a value is refused with the same sentence
/// whichever way it came; each front end names the option as its users type it (`-k`, `k`).
public enum ParameterCheck {
    /// A number outside what its option takes; the description is the sentence to show.
    public struct OutOfRange: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// `k`, `top`, `clusters`: a count of at least one.
    public static func positive(_ value: Int, _ name: String) throws(OutOfRange) -> Int {
        if value < 1 { throw OutOfRange(description: "\(name) takes a positive number, found \(value).") }
        return value
    }

    /// `cutoff`: a share strictly between 0 and 1.
    public static func share(_ value: Double, _ name: String) throws(OutOfRange) -> Double {
        if !(value > 0 && value < 1) { throw OutOfRange(description: "\(name) takes a share between 0 and 1, e.g. 0.05; found \(value).") }
        return value
    }

    /// `min-mass`: a sum of absolute values, so 0 or more (and finite).
    public static func mass(_ value: Double, _ name: String) throws(OutOfRange) -> Double {
        if !(value >= 0 && value.isFinite) { throw OutOfRange(description: "\(name) takes a mass of 0 or more (a sum of |value|), found \(value).") }
        return value
    }

    /// `seed`: a UInt64, with a message that says so.
    public static func seed(_ text: String, _ name: String) throws(OutOfRange) -> UInt64 {
        guard let value = UInt64(text) else { throw OutOfRange(description: "\(name) takes a whole number from 0 to \(UInt64.max).") }
        return value
    }
}
