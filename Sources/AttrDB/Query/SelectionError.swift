/// A selection that cannot select: malformed (`--coef nan`), reversed (`--checkpoint 200:100`), or
/// taking nothing of what is stored (a range between two stored steps, a `--layer` no component has).
///
/// It is a usage error (exit 64): the command line asked for something the run cannot give, and an
/// empty table with exit 0 would read as "there is nothing here".
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
