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
        write("attrdb: \(visible(message))\n")
    }

    static func note(_ message: String) {
        write("\(visible(message))\n")
    }

    /// Writes to standard error, ignoring failure: with SIGPIPE ignored (see `AttrDBCommand`), a
    /// closed standard error gives EPIPE, on which FileHandle would stop the process with a trap.
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(2, base + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// Control characters in a message (stored names are hostile input) shown escaped, line by line.
    static func visible(_ message: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).map { Escape.terminal(String($0)) }.joined(separator: "\n")
    }
}
