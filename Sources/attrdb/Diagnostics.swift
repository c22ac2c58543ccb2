import Foundation

/// Messages for people, on standard error.
enum Diagnostics {
    static var isTerminal: Bool { isatty(2) == 1 }

    static func error(_ message: String) {
        write("attrdb: \(message)\n")
    }

    static func note(_ message: String) {
        write("\(message)\n")
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
}
