/// A selection that cannot select: malformed (`--coef nan`), reversed (`--checkpoint 200:100`), or
/// taking nothing of what is stored (a range between two stored steps, a `--layer` no component has).
///
/// It is an error, not an empty result: the caller asked for something the run cannot give, and an
/// empty table would read as "there is nothing here". (The command line reports it as a usage error.)
///
/// ```swift
/// throw SelectionError("--checkpoint '200:100': the range is reversed (200 > 100); write the lower step first: 100:200")
/// ```
public struct SelectionError: UserFacingError, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
