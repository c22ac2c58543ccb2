/// The `table` format: columns aligned by display width (wide East Asian characters and emoji
/// take two cells), numbers aligned on their decimal points, control characters made visible
/// (``Escape/terminal(_:)``); on a terminal, the columns that fit its width.
enum AlignedTable {
    /// The rendered text, and how many columns on the right were left out to fit `maxWidth`.
    struct Rendered: Equatable {
        var text: String
        var hiddenColumns: Int
    }

    static func render(columns: [String]?, rows: [[Cell]], digits: Int?) -> String {
        render(columns: columns, rows: rows, digits: digits, maxWidth: nil).text
    }

    /// With `maxWidth`, the leading columns whose lines fit in that many cells (always the first
    /// column, even when it alone is wider): a table wrapped by the terminal cannot be read.
    static func render(columns: [String]?, rows: [[Cell]], digits: Int?, maxWidth: Int?) -> Rendered {
        let texts = rows.map { $0.map { Escape.terminal($0.roundedText(digits: digits)) } }
        let count = columns?.count ?? rows.first?.count ?? 0
        guard count > 0 else { return Rendered(text: "", hiddenColumns: 0) }
        let headers = columns?.map(Escape.terminal)
        let numeric = (0..<count).map { i in !rows.isEmpty && rows.allSatisfy { $0[i].isNumeric || $0[i] == .null } }
        // A numeric cell is split at its decimal point (or where one would be): the integer parts are
        // right-aligned, the fractions left-aligned after them, so the points line up.
        var integerWidths = Array(repeating: 0, count: count), fractionWidths = Array(repeating: 0, count: count)
        var widths = headers?.map { width($0) } ?? Array(repeating: 0, count: count)
        for row in texts {
            for (i, text) in row.enumerated() {
                if numeric[i] {
                    let (integer, fraction) = split(text)
                    integerWidths[i] = max(integerWidths[i], integer.count)
                    fractionWidths[i] = max(fractionWidths[i], fraction.count)
                } else {
                    widths[i] = max(widths[i], width(text))
                }
            }
        }
        for i in 0..<count where numeric[i] { widths[i] = max(widths[i], integerWidths[i] + fractionWidths[i]) }

        var shown = count
        if let maxWidth {
            shown = 1
            var total = widths[0]
            while shown < count, total + 2 + widths[shown] <= maxWidth {
                total += 2 + widths[shown]
                shown += 1
            }
        }

        var out = ""
        func line(_ cells: [String]) {
            var parts: [String] = []
            for i in 0..<shown {
                let text = cells[i], isLast = i == shown - 1
                let padding = String(repeating: " ", count: widths[i] - width(text))
                parts.append(numeric[i] ? padding + text : (isLast ? text : text + padding))
            }
            var text = parts.joined(separator: "  ")
            // A number in the last column keeps its place by trailing spaces, an empty cell leaves the
            // separator: no line needs to end in them.
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
        }
        if let headers {
            line(headers)
            out += widths[0..<shown].map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        }
        for row in texts {
            line(row.enumerated().map { i, text in
                guard numeric[i] else { return text }
                let (integer, fraction) = split(text)
                // Room for the column's widest fraction after a shorter one.
                return integer + fraction + String(repeating: " ", count: fractionWidths[i] - fraction.count)
            })
        }
        return Rendered(text: out, hiddenColumns: count - shown)
    }

    /// A number's text before its decimal point (or exponent, or all of it) and from there on.
    private static func split(_ text: String) -> (integer: Substring, fraction: Substring) {
        let point = text.firstIndex { $0 == "." || $0 == "e" || $0 == "E" } ?? text.endIndex
        return (text[..<point], text[point...])
    }

    /// Terminal cells a string takes.
    static func width(_ text: String) -> Int {
        text.reduce(0) { total, character in
            guard let scalar = character.unicodeScalars.first else { return total }
            return total + (isWide(scalar.value) || character.unicodeScalars.count > 1 && character.unicodeScalars.contains { $0.properties.isEmojiPresentation } ? 2 : 1)
        }
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
    }
}
