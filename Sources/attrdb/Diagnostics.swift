import Foundation

/// Messages for people, on standard error.
enum Diagnostics {
    static var isTerminal: Bool { isatty(2) == 1 }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("attrdb: \(message)\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
    }
}
