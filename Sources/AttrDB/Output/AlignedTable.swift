/// The `table` format: columns aligned by display width (wide East Asian characters and emoji
/// take two cells), numbers right-aligned, control characters made visible (``Escape/terminal(_:)``).
enum AlignedTable {
    static func render(columns: [String]?, rows: [[Cell]], digits: Int?) -> String {
        let texts = rows.map { $0.map { Escape.terminal($0.roundedText(digits: digits)) } }
        let count = columns?.count ?? rows.first?.count ?? 0
        guard count > 0 else { return "" }
        var widths = columns?.map { width(Escape.terminal($0)) } ?? Array(repeating: 0, count: count)
        for row in texts { for (i, text) in row.enumerated() { widths[i] = max(widths[i], width(text)) } }
        let numeric = (0..<count).map { i in !rows.isEmpty && rows.allSatisfy { $0[i].isNumeric || $0[i] == .null } }
        var out = ""
        func line(_ cells: [String], alignNumbers: Bool) {
            var parts: [String] = []
            for (i, text) in cells.enumerated() {
                let padding = String(repeating: " ", count: widths[i] - width(text))
                parts.append(alignNumbers && numeric[i] ? padding + text : (i == cells.count - 1 ? text : text + padding))
            }
            out += parts.joined(separator: "  ") + "\n"
        }
        if let columns {
            line(columns.map(Escape.terminal), alignNumbers: true)
            out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        }
        for row in texts { line(row, alignNumbers: true) }
        return out
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
