import ArgumentParser
import AttrDB

/// The checks shared by options that take numbers. Those options parse `.unconditional`ly (a value
/// may start with a minus), so a negative value reaches these checks and is refused with a usage
/// error that says what the option takes, instead of swift-argument-parser's "Missing value".
enum NumericOption {
    /// `-k`, `--top`, `--clusters`: a count of at least one.
    static func positive(_ value: Int, _ option: String) throws {
        _ = try usage { try ParameterCheck.positive(value, option) }
    }

    /// `--cutoff`: a share strictly between 0 and 1.
    static func share(_ value: Double, _ option: String) throws {
        _ = try usage { try ParameterCheck.share(value, option) }
    }

    /// `--min-mass`: a sum of absolute values, so 0 or more (and finite).
    static func mass(_ value: Double, _ option: String) throws {
        _ = try usage { try ParameterCheck.mass(value, option) }
    }

    /// `--digits`: significant digits a Double can hold.
    static func digits(_ value: Int?, _ option: String = "--digits") throws {
        if let value, !(1...17).contains(value) { throw ValidationError("\(option) takes a number from 1 to 17, found \(value).") }
    }

    /// `--seed`'s transform: a UInt64, with a message that says so (the default one says only "invalid").
    static func seed(_ text: String) throws -> UInt64 {
        try usage { try ParameterCheck.seed(text, "--seed") }
    }

    /// The library's bounds (shared with the HTTP API) as a usage error.
    private static func usage<T>(_ check: () throws -> T) throws -> T {
        do { return try check() } catch let error as ParameterCheck.OutOfRange { throw ValidationError(error.description) }
    }
}
