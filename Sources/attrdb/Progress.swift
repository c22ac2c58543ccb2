import Foundation

/// A progress line on standard error, redrawn in place, only when standard error is a terminal.
final class Progress {
    private let label: String
    private let enabled = isatty(2) == 1
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(label: String) { self.label = label }

    func update(_ done: Int, _ total: Int) {
        guard enabled, Date().timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
        lastDraw = Date()
        drawn = true
        let width = 30, filled = total > 0 ? width * done / total : width
        Diagnostics.write("\r\(label) [\(String(repeating: "█", count: filled))\(String(repeating: " ", count: width - filled))] \(done)/\(total)")
    }

    func finish() {
        if drawn { Diagnostics.write("\r\u{1B}[K") }
    }
}
