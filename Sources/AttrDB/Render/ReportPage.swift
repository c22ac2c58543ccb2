/// One self-contained HTML page: inline CSS, inline SVG figures, tables sortable by clicking a
/// header (a few lines of inline JavaScript), and no request to anything outside the file.
public struct ReportPage {
    public enum Section {
        case figure(title: String, svg: String)
        /// A result's table; `columns` give each header its meaning, shown when the pointer rests on it.
        /// `foldable`: past ``ReportPage/foldedRows`` rows the table is folded (a figure above tells its story).
        case table(title: String, ResultTable, columns: [ResultColumn], note: String?, foldable: Bool)
        /// A table of text built for the page (lists per step); each header comes with its meaning.
        case lists(title: String, headers: [(name: String, meaning: String)], rows: [[String]], note: String?)

        /// A typed result as a table section, its headers explained by its columns' meanings.
        public static func table<Result: TabularResult>(title: String, _ result: Result, note: String?, foldable: Bool = true) -> Section {
            .table(title: title, ResultTable(result), columns: result.columns, note: note, foldable: foldable)
        }
    }

    public var title: String
    /// One line under the title: what the page shows (model, scan, metric, checkpoints).
    public var subtitle: String?
    public var sections: [Section]

    public init(title: String, subtitle: String? = nil, sections: [Section]) {
        self.title = title
        self.subtitle = subtitle
        self.sections = sections
    }

    /// Foldable tables longer than this are folded (their figure tells the story; the rows are a click away).
    static let foldedRows = 15

    public func html() -> String {
        var body = "<h1>\(SVG.escape(title))</h1>\n"
        if let subtitle { body += "<p class=\"subtitle\">\(SVG.escape(subtitle))</p>\n" }
        for (index, section) in sections.enumerated() {
            switch section {
            case .figure(let heading, let svg):
                body += "<section><h2>\(SVG.escape(heading))</h2><figure>\(svg)</figure></section>\n"
            case .lists(let heading, let headers, let rows, let note):
                body += "<section><h2>\(SVG.escape(heading))</h2>"
                if let note { body += "<p class=\"note\">\(SVG.escape(note))</p>" }
                body += "<table class=\"sortable lists\" id=\"t\(index)\"><thead><tr>"
                body += headers.map { "<th title=\"\(SVG.escape($0.meaning))\">\(SVG.escape($0.name))</th>" }.joined()
                body += "</tr></thead><tbody>"
                for row in rows {
                    body += "<tr>" + row.map { cell in
                        Int(cell) != nil ? "<td class=\"num\" data-value=\"\(cell)\">\(cell)</td>" : "<td>\(SVG.escape(cell))</td>"
                    }.joined() + "</tr>"
                }
                body += "</tbody></table></section>\n"
            case .table(let heading, let table, let columns, let note, let foldable):
                body += "<section><h2>\(SVG.escape(heading))</h2>"
                if let note { body += "<p class=\"note\">\(SVG.escape(note))</p>" }
                let folded = foldable && table.rows.count > ReportPage.foldedRows
                if folded { body += "<details><summary>\(table.rows.count) rows</summary>" }
                body += "<table class=\"sortable\" id=\"t\(index)\"><thead><tr>"
                for (index, column) in table.columns.enumerated() {
                    let meaning = columns[safe: index].map { column in column.meaning + (column.unit.map { " (\($0))" } ?? "") }
                    body += meaning.map { "<th title=\"\(SVG.escape($0))\">" } ?? "<th>"
                    body += "\(SVG.escape(column))</th>"
                }
                body += "</tr></thead><tbody>"
                for row in table.rows {
                    body += "<tr>" + row.map { cell in
                        let text = SVG.escape(cell.roundedText(digits: 6))
                        return cell.isNumeric ? "<td class=\"num\" data-value=\"\(cell.exactText)\">\(text)</td>" : "<td>\(text)</td>"
                    }.joined() + "</tr>"
                }
                body += "</tbody></table>" + (folded ? "</details>" : "") + "</section>\n"
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
        <title>\(SVG.escape(title))</title>
        <style>
        body { font-family: Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1200px; color: #222; padding: 0 1rem; }
        .subtitle { color: #444; margin-top: -.6rem; }
        h1 { font-size: 1.6rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dt { font-weight: bold; } dd { margin: 0; word-break: break-word; }
        table { border-collapse: collapse; font-size: .85rem; margin: .5rem 0; }
        th, td { padding: .2rem .6rem; border-bottom: 1px solid #eee; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        th { cursor: pointer; user-select: none; background: #f6f6f6; position: sticky; top: 0; }
        th.asc::after { content: " ▲"; } th.desc::after { content: " ▼"; }
        figure { margin: .5rem 0; } figure svg { width: 100%; height: auto; display: block; }
        table.lists td { max-width: 40rem; } summary { cursor: pointer; color: #555; font-size: .9rem; } .note { color: #555; font-size: .9rem; }
        </style>
        </head>
        <body>
        \(body)
        <script>
        document.querySelectorAll("table.sortable").forEach(function (table) {
          table.querySelectorAll("th").forEach(function (th, column) {
            th.addEventListener("click", function () {
              var ascending = !th.classList.contains("asc");
              table.querySelectorAll("th").forEach(function (h) { h.classList.remove("asc", "desc"); });
              th.classList.add(ascending ? "asc" : "desc");
              var body = table.tBodies[0];
              var rows = Array.prototype.slice.call(body.rows);
              rows.sort(function (a, b) {
                var x = a.cells[column], y = b.cells[column];
                var nx = parseFloat(x.getAttribute("data-value")), ny = parseFloat(y.getAttribute("data-value"));
                var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.textContent.localeCompare(y.textContent);
                return ascending ? order : -order;
              });
              rows.forEach(function (row) { body.appendChild(row); });
            });
          });
        });
        </script>
        </body>
        </html>

        """
    }
}
