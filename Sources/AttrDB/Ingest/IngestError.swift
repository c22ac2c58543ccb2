/// Bad input: which file, where in it, what was expected and what was found.
///
/// ```swift
/// throw IngestError(file: "run/attributions.npy", location: .offset(8), expected: "header length", found: "end of file")
/// ```
public struct IngestError: UserFacingError, Equatable {
    /// Where in the file the problem is.
    public enum Location: Equatable, Sendable, CustomStringConvertible {
        case offset(Int)
        case line(Int)
        case lineColumn(line: Int, column: String)
        case key(String)
        case member(String)
        /// A frame of a frame stream (0 = the header), its kind letter when known, and the byte it starts at.
        case frame(number: Int, kind: Character?, offset: Int)

        public var description: String {
            switch self {
            case .offset(let offset): return "byte \(offset)"
            case .line(let line): return "line \(line)"
            case .lineColumn(let line, let column): return "line \(line), column '\(column)'"
            case .key(let key): return "key '\(key)'"
            case .member(let member): return "member '\(member)'"
            case .frame(let number, let kind, let offset):
                return "frame \(number)" + (kind.map { " (\($0))" } ?? "") + " at byte \(offset)"
            }
        }
    }

    public enum Kind: Sendable, Equatable {
        /// The input itself is malformed.
        case badInput
        /// The input is well formed but disagrees with what the store holds.
        case conflict
    }

    public var file: String
    public var location: Location?
    public var message: String
    public var kind: Kind

    /// A problem stated as "expected …, found …".
    public init(file: String, location: Location? = nil, expected: String, found: String, kind: Kind = .badInput) {
        self.init(file: file, location: location, message: "expected \(expected), found \(found)", kind: kind)
    }

    public init(file: String, location: Location? = nil, message: String, kind: Kind = .badInput) {
        self.file = file
        self.location = location
        self.message = message
        self.kind = kind
    }

    public var description: String {
        "\(file)" + (location.map { ": \($0)" } ?? "") + ": \(message)"
    }
}
