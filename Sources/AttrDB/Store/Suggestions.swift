/// "Did you mean …" for unknown names: the existing names closest by edit distance.
public enum Suggestions {
    /// Up to `limit` names from `candidates`, closest to `name` first.
    public static func closest(to name: String, in candidates: [String], limit: Int = 3) -> [String] {
        let target = Array(name.lowercased())
        return candidates
            .map { ($0, editDistance(target, Array($0.lowercased()))) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit)
            .map(\.0)
    }

    static func sentence(_ suggestions: [String]) -> String {
        guard !suggestions.isEmpty else { return " (there are none)" }
        // Stored names go to a terminal: their control characters are shown, not obeyed.
        return "; closest: " + suggestions.map { "'\(Escape.terminal($0))'" }.joined(separator: ", ")
    }

    /// The Levenshtein distance: insertions, deletions and substitutions that turn `a` into `b`.
    public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
