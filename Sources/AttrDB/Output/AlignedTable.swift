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
        var cells = Cells(digits: digits)
        for row in rows { cells.append(row) }
        let rendered = cells.render(columns: columns, maxWidth: maxWidth)
        return Rendered(text: String(decoding: rendered.bytes, as: UTF8.self), hiddenColumns: rendered.hiddenColumns)
    }

    /// The cells of a table being written, held as their text (one byte array for all, not a
    /// String or a `[Cell]` row each) until every row has come and the columns can be measured.
    struct Cells {
        let digits: Int?
        /// Every cell's text as it is shown (a number at `digits` significant digits, text with its
        /// control characters made visible), row after row.
        private var text: [UInt8] = []
        /// Where each cell's text ends in ``text``, row after row.
        private var ends: [Int] = []
        private var columnCount: Int?
        /// Per column: whether every cell so far is a number or null (then decimal points line up).
        private var numeric: [Bool] = []

        init(digits: Int?) { self.digits = digits }

        mutating func append(_ row: [Cell]) {
            if columnCount == nil {
                columnCount = row.count
                numeric = Array(repeating: true, count: row.count)
            }
            for (i, cell) in row.enumerated() {
                if case .text(let value) = cell {
                    numeric[i] = false
                    TableWriter.appendUTF8(Escape.terminal(value), to: &text)
                } else {
                    // A number's text has no control character to make visible.
                    cell.appendRounded(digits: digits, to: &text)
                }
                ends.append(text.count)
            }
        }

        /// The table's lines as UTF-8, and how many columns on the right `maxWidth` left out.
        func render(columns: [String]?, maxWidth: Int?) -> (bytes: [UInt8], hiddenColumns: Int) {
            let count = columns?.count ?? columnCount ?? 0
            guard count > 0 else { return ([], 0) }
            let rowCount = ends.count / count
            let numeric = rowCount > 0 ? self.numeric : Array(repeating: false, count: count)
            let headers = columns?.map { Array(Escape.terminal($0).utf8) }
            // A numeric cell is split at its decimal point (or where one would be): the integer parts
            // are right-aligned, the fractions left-aligned after them, so the points line up.
            var integerWidths = Array(repeating: 0, count: count), fractionWidths = Array(repeating: 0, count: count)
            var widths = headers?.map { AlignedTable.width($0[...]) } ?? Array(repeating: 0, count: count)
            text.withUnsafeBufferPointer { text in
                var start = 0
                for (index, end) in ends.enumerated() {
                    let i = index % count, cell = text[start..<end]
                    if numeric[i] {
                        let point = AlignedTable.point(cell)
                        integerWidths[i] = max(integerWidths[i], point - start)
                        fractionWidths[i] = max(fractionWidths[i], end - point)
                    } else {
                        widths[i] = max(widths[i], AlignedTable.width(cell))
                    }
                    start = end
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

            var out: [UInt8] = []
            func spaces(_ n: Int) { if n > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n)) } }
            // A number in the last column keeps its place by trailing spaces, an empty cell leaves the
            // separator: no line needs to end in them.
            func endLine() {
                while out.last == UInt8(ascii: " ") { out.removeLast() }
                out.append(UInt8(ascii: "\n"))
            }
            if let headers {
                for i in 0..<shown {
                    if i > 0 { spaces(2) }
                    let padding = widths[i] - AlignedTable.width(headers[i][...])
                    if numeric[i] { spaces(padding) }
                    out.append(contentsOf: headers[i])
                    if !numeric[i] && i < shown - 1 { spaces(padding) }
                }
                endLine()
                for i in 0..<shown {
                    if i > 0 { spaces(2) }
                    for _ in 0..<widths[i] { out.append(contentsOf: [0xE2, 0x94, 0x80]) }  // "─"
                }
                out.append(UInt8(ascii: "\n"))
            }
            text.withUnsafeBufferPointer { text in
                for r in 0..<rowCount {
                    for i in 0..<shown {
                        let index = r * count + i
                        let start = index == 0 ? 0 : ends[index - 1], end = ends[index], cell = text[start..<end]
                        if i > 0 { spaces(2) }
                        if numeric[i] {
                            // Right-aligned on the point, with room for the column's widest fraction after
                            // a shorter one.
                            let point = AlignedTable.point(cell)
                            let fraction = end - point
                            let shownWidth = (end - start) + fractionWidths[i] - fraction
                            spaces(widths[i] - shownWidth)
                            out.append(contentsOf: cell)
                            spaces(fractionWidths[i] - fraction)
                        } else {
                            out.append(contentsOf: cell)
                            if i < shown - 1 { spaces(widths[i] - AlignedTable.width(cell)) }
                        }
                    }
                    endLine()
                }
            }
            return (out, count - shown)
        }
    }

    /// Where a number's text has its decimal point (or exponent), else its end: the integer part is
    /// before it. A number's text is ASCII, so its bytes are its terminal cells.
    private static func point(_ cell: Slice<UnsafeBufferPointer<UInt8>>) -> Int {
        cell.firstIndex { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") } ?? cell.endIndex
    }

    /// Terminal cells a cell's UTF-8 takes: its byte count when it is all printable ASCII (what
    /// almost every cell is), else ``width(_:)-swift.method`` of its Characters.
    static func width<Bytes: Collection<UInt8>>(_ utf8: Bytes) -> Int {
        if !utf8.contains(where: { $0 >= 0x80 }) { return utf8.count }
        return width(String(decoding: utf8, as: UTF8.self))
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
