import AttrDB
import Foundation

/// Messages for people, on standard error.
///
/// Messages quote stored names and file contents; their control characters are shown escaped
/// (``Escape/terminal(_:)``) line by line, so no name can drive the terminal, while the line
/// breaks the message itself is made of stay line breaks.
enum Diagnostics {
    static var isTerminal: Bool { isatty(2) == 1 }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("attrdb: \(visible(message))\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(visible(message))\n".utf8))
    }

    static func visible(_ message: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).map { Escape.terminal(String($0)) }.joined(separator: "\n")
    }
}
