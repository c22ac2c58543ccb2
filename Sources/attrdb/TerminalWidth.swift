import Foundation

/// The width of the terminal on standard output, in cells: what the kernel says (TIOCGWINSZ), else
/// $COLUMNS, else 80.
enum TerminalWidth {
    static func ofStandardOutput() -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 { return columns }
        return 80
    }
}
