import Foundation

/// Why an output file or folder (`-o`) could not be written. The old file or folder at the target
/// is never the casualty: the message says what became of it.
public enum OutputFileError: UserFacingError, Equatable {
    /// What stood at the target before the write began.
    public enum Previous: Sendable, Equatable {
        case nothing, file, folder
        /// A device or pipe, written in place: there was nothing to keep.
        case stream
    }

    case cannotCreate(path: String, reason: String)
    case writeFailed(path: String, reason: String, previous: Previous)
    case isFolder(path: String)
    case exists(path: String, why: String)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason):
            return "\(path): cannot write here (\(reason))"
        case .writeFailed(let path, let reason, let previous):
            let fate: String
            switch previous {
            case .nothing: fate = "nothing was written"
            case .file: fate = "the old file was left as it was"
            case .folder: fate = "the old folder was left as it was"
            case .stream: fate = "what it received is incomplete"
            }
            return "\(path): cannot write (\(reason)); \(fate)"
        case .isFolder(let path):
            return "\(path): is a folder; give a file name"
        case .exists(let path, let why):
            return "\(path): already exists\(why.isEmpty ? "" : " and " + why) (use --force to replace it)"
        }
    }

    /// The same failure, named after the output the user asked for rather than a file inside it.
    func renamed(to path: String, previous: Previous) -> OutputFileError {
        switch self {
        case .cannotCreate(_, let reason): return .cannotCreate(path: path, reason: reason)
        case .writeFailed(_, let reason, _): return .writeFailed(path: path, reason: reason, previous: previous)
        default: return self
        }
    }

    /// The C library's text for an `errno`.
    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
