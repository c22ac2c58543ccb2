/// A check every reader makes on component labels: no NUL characters. A NUL survives in SQLite's
/// text, but C strings, terminals and the sqlite3 shell cut the label at it, so what is shown could
/// not be typed back to select it.
enum LabelText {
    /// nil for a label without NUL, else the label quoted with each NUL written `\0`, for an error.
    static func withNUL(_ label: String) -> String? {
        guard label.utf8.contains(0) else { return nil }
        return "'" + label.replacingOccurrences(of: "\0", with: "\\0") + "'"
    }
}
