/// `attrdb check`: SQLite's integrity check and attrdb's own invariants, each reported as a row.
public enum StoreCheck {
    public static let columns = ["check", "status", "detail"]

    /// Every check with `ok`, `problem` or `warning`; a problem's or warning's detail names what is
    /// wrong. Warnings are not problems: they are not counted, and `check` exits 0 with them.
    public static func run(_ store: Store) throws -> (table: ResultTable, problems: Int) {
        let db = store.connection
        var rows: [[Cell]] = []
        var problems = 0
        func record(_ name: String, _ failures: [String], ok: String) {
            if failures.isEmpty {
                rows.append([.text(name), .text("ok"), .text(ok)])
            } else {
                problems += failures.count
                for failure in failures.prefix(50) { rows.append([.text(name), .text("problem"), .text(failure)]) }
                if failures.count > 50 { rows.append([.text(name), .text("problem"), .text("… and \(failures.count - 50) more")]) }
            }
        }
        func strings(_ sql: String) throws -> [String] {
            var out: [String] = []
            try db.forEachRow(sql) { out.append($0.string(at: 0)) }
            return out
        }

        let integrity = try strings("PRAGMA integrity_check")
        record("integrity_check", integrity == ["ok"] ? [] : integrity, ok: "SQLite's integrity check passed")
        var foreign: [String] = []
        try db.forEachRow("PRAGMA foreign_key_check") { foreign.append("\($0.string(at: 0)) row \($0.int(at: 1)) refers to a missing \($0.string(at: 2)) row") }
        record("foreign_keys", foreign, ok: "every reference points at an existing row")
        record("schema_version", try store.schemaVersion() == Migration.latestVersion ? [] : ["schema version \(try store.schemaVersion()), this attrdb knows \(Migration.latestVersion)"],
               ok: "schema version \(Migration.latestVersion)")

        // Packed matrices: their shape matches the run's components and the scan's grid, and their length the shape.
        record("matrix_shape", try strings("""
            SELECT 'attribution ' || a.attribution_id || ' (run ' || r.name || ', scan ' || s.name || ', step ' || c.step || '): ' ||
                   'n_components ' || a.n_components || ' vs ' || (SELECT count(*) FROM component p WHERE p.run_id = s.run_id) || ' components, ' ||
                   'n_coefficients ' || a.n_coefficients || ' vs ' || s.n_coefficients || ' in the scan'
            FROM attribution a JOIN scan s USING (scan_id) JOIN run r ON r.run_id = s.run_id JOIN checkpoint c USING (checkpoint_id)
            WHERE a.n_components <> (SELECT count(*) FROM component p WHERE p.run_id = s.run_id) OR a.n_coefficients <> s.n_coefficients
            """), ok: "every matrix has the run's components and the scan's coefficients")
        // Bytes a value: 4 for a float32 run, 2 for f16 and bf16 (run.precision).
        record("matrix_length", try strings("""
            WITH sized AS (SELECT a.attribution_id, length(a.matrix) AS found,
                                  (CASE coalesce(r.precision, 'f32') WHEN 'f32' THEN 4 ELSE 2 END) * a.n_components * a.n_coefficients AS expected
                           FROM attribution a LEFT JOIN scan s USING (scan_id) LEFT JOIN run r ON r.run_id = s.run_id)
            SELECT 'attribution ' || attribution_id || ': ' || found || ' bytes, expected ' || expected
            FROM sized WHERE found <> expected
            """), ok: "every matrix holds components · coefficients values of its run's precision")
        // Every matrix's bytes against the checksum ingest stored with them (xxHash64, schema/README.md):
        // this finds bytes changed after the write, which SQLite's integrity check cannot see. The
        // hashes are materialised first so each matrix is read and hashed once; outer joins so a matrix
        // whose run or checkpoint row is lost is reported all the same.
        record("matrix_checksum", try strings("""
            WITH hashed AS MATERIALIZED (SELECT attribution_id, xxh64(matrix) AS found FROM attribution)
            SELECT 'run ' || coalesce(r.name, '?') || ', scan ' || coalesce(s.name, '?') || ', metric ' || coalesce(m.name, '?') ||
                   ', checkpoint step ' || coalesce(c.step, '?') || ' (attribution ' || a.attribution_id || '): checksum ' ||
                   printf('%016x', a.checksum) || ' stored, the matrix hashes to ' || printf('%016x', h.found)
            FROM hashed h JOIN attribution a USING (attribution_id)
            LEFT JOIN scan s ON s.scan_id = a.scan_id LEFT JOIN run r ON r.run_id = s.run_id
            LEFT JOIN metric m ON m.metric_id = a.metric_id LEFT JOIN checkpoint c ON c.checkpoint_id = a.checkpoint_id
            WHERE h.found IS NOT a.checksum ORDER BY a.attribution_id
            """), ok: "every matrix's bytes match the checksum stored with them")
        record("summaries", try summaryProblems(db),
               ok: "every matrix's summaries (sums of |v|, v, v² per component and per layer and coefficient, their totals per layer and kind, concentration figures) match its values")
        record("matrix_checkpoint", try strings("""
            SELECT 'attribution ' || a.attribution_id || ': checkpoint of run ' || c.run_id || ', scan of run ' || s.run_id
            FROM attribution a JOIN scan s USING (scan_id) JOIN checkpoint c USING (checkpoint_id) WHERE c.run_id <> s.run_id
            """), ok: "every matrix belongs to a checkpoint of its own run")
        record("component_positions", try strings("""
            SELECT 'run ' || r.name || ': positions ' || min(p.position) || '…' || max(p.position) || ' for ' || count(*) || ' components'
            FROM component p JOIN run r USING (run_id) GROUP BY p.run_id HAVING min(p.position) <> 0 OR max(p.position) <> count(*) - 1
            """), ok: "component positions run from 0 without gaps")
        record("coefficient_grid", try strings("""
            SELECT 'scan ' || s.name || ' of run ' || r.name || ': ' || (SELECT count(*) FROM coefficient k WHERE k.scan_id = s.scan_id) ||
                   ' coefficients stored, n_coefficients says ' || s.n_coefficients
            FROM scan s JOIN run r USING (run_id)
            WHERE s.n_coefficients <> (SELECT count(*) FROM coefficient k WHERE k.scan_id = s.scan_id)
               OR s.n_coefficients - 1 <> (SELECT coalesce(max(position), -1) FROM coefficient k WHERE k.scan_id = s.scan_id)
            """), ok: "every scan's grid has n_coefficients positions from 0")
        // Identical weights under two step names (a hub serving one revision twice) are legal data but
        // make a run look flat where it did not train: worth a warning, not a failure.
        let duplicates = try store.duplicateWeights()
        if duplicates.isEmpty {
            rows.append([.text("duplicate_weights"), .text("ok"), .text("no two checkpoints of a run have identical weights hashes")])
        } else {
            for group in duplicates { rows.append([.text("duplicate_weights"), .text("warning"), .text("run \(group.run): \(group)")]) }
        }
        return (ResultTable(columns: columns, rows: rows), problems)
    }

    /// Each matrix's summaries computed again from its values and compared, bit for bit, with the
    /// stored ones (schema/0004_summaries.sql, 0006_summary_totals.sql): one problem per differing or
    /// missing statistic. A matrix whose own checksum fails is left to `matrix_checksum`: the matrix
    /// is what is wrong.
    private static func summaryProblems(_ db: Connection) throws -> [String] {
        var problems: [String] = []
        try StoredSummaries.recompute(db, try StoredSummaries.matrices(db, missingOnly: false), verifying: true) { matrix, layout, summary in
            guard let layout, let summary else { return }
            let stored = try StoredSummaries.stored(db, attributionID: matrix.attributionID, encoding: layout.encoding)
            let storedTotals = try StoredSummaries.storedTotals(db, attributionID: matrix.attributionID)
            for statistic in SummaryStatistic.allCases {
                guard let found = stored[statistic] else {
                    // A 16-bit run keeps only some statistics' sums (SummaryEncoding.statistics); rows
                    // an older attrdb kept for the others are still checked when present.
                    if layout.encoding.statistics.contains(statistic) {
                        problems.append("\(matrix.name): no '\(statistic.rawValue)' summary")
                    } else if let problem = totalsProblem(matrix, statistic, storedTotals, summary, layout) {
                        problems.append(problem)
                    }
                    continue
                }
                // The width is the run's precision's (schema 7): a row of another length is damaged,
                // never read as the other width.
                guard let row = found.components(fitting: layout) else {
                    problems.append("\(matrix.name): the '\(statistic.rawValue)' component sums take \(found.componentBytes) bytes; " +
                                    widthText(layout, sums: layout.layerIndex.count, what: "components"))
                    continue
                }
                let components = summary.components[statistic.index]
                if let p = firstDifference(row, components) {
                    problems.append("\(matrix.name): the '\(statistic.rawValue)' sum of the component at position \(p) is " +
                                    "\(describe(row, p)) in the summary, the matrix gives \(describe(components, p))")
                    continue
                }
                guard let storedLayer = found.layers(fitting: layout) else {
                    problems.append("\(matrix.name): the '\(statistic.rawValue)' per-layer sums take \(found.layerBytes) bytes; " +
                                    widthText(layout, sums: layout.layers.count * layout.coefficients, what: "(layer, coefficient) pairs"))
                    continue
                }
                let layers = summary.layers[statistic.index]
                if let i = firstDifference(storedLayer, layers) {
                    let (l, j) = i.quotientAndRemainder(dividingBy: layout.coefficients)
                    let layer = l < layout.layers.count ? "layer \(layout.layers[l]) at coefficient position \(j)" : "per-layer value \(i)"
                    problems.append("\(matrix.name): the '\(statistic.rawValue)' sum of \(layer) is " +
                                    "\(describe(storedLayer, i)) in the summary, the matrix gives \(describe(layers, i))")
                    continue
                }
                if let problem = totalsProblem(matrix, statistic, storedTotals, summary, layout) { problems.append(problem) }
            }
            if let problem = try rankedProblem(db, matrix, summary.totals[SummaryStatistic.abs.index].ranked) { problems.append(problem) }
        }
        return problems
    }

    /// The problem with a matrix's stored ranked masses against those its values give, if any.
    private static func rankedProblem(_ db: Connection, _ matrix: StoredSummaries.Matrix, _ computed: RankedMasses?) throws -> String? {
        var row: (count: Int, ranked: RankedMasses?)?
        try db.forEachRow("SELECT n_components, ranked FROM summary_ranked WHERE attribution_id = ? AND statistic = 'abs'",
                          [.integer(matrix.attributionID)]) { found in
            let count = found.int(at: 0)
            row = (count, found.withBytes(at: 1) { RankedMasses(componentCount: count, bytes: $0) })
        }
        switch (row, computed) {
        case (nil, nil): return nil
        case (nil, _?): return "\(matrix.name): no ranked 'abs' masses"
        case (_?, nil): return "\(matrix.name): ranked 'abs' masses are kept, but the matrix's sums are not all finite"
        case let (stored?, computed?):
            guard let ranked = stored.ranked else {
                return "\(matrix.name): the ranked 'abs' masses do not decode (entries of a position below \(stored.count) and a finite mass, largest first)"
            }
            guard ranked != computed else { return nil }
            let common = min(ranked.positions.count, computed.positions.count)
            let i = (0..<common).first { (i: Int) -> Bool in
                ranked.positions[i] != computed.positions[i] || ranked.masses[i].bitPattern != computed.masses[i].bitPattern
            } ?? common
            func entry(_ r: RankedMasses) -> String {
                i < r.positions.count ? "position \(r.positions[i]) with \(r.masses[i])" : "none"
            }
            return "\(matrix.name): ranked 'abs' mass \(i + 1) is \(entry(ranked)) in the store (of \(ranked.positions.count) kept for \(ranked.componentCount) components), "
                + "the matrix gives \(entry(computed)) (of \(computed.positions.count) for \(computed.componentCount))"
        }
    }

    /// The problem with a matrix's stored totals of one statistic against those its values give, if any.
    private static func totalsProblem(_ matrix: StoredSummaries.Matrix, _ statistic: SummaryStatistic,
                                      _ storedTotals: [SummaryStatistic: SummaryTotals?], _ summary: MatrixSummary,
                                      _ layout: SummaryLayout) -> String? {
        guard let found = storedTotals[statistic] else { return "\(matrix.name): no '\(statistic.rawValue)' totals" }
        guard let difference = totalsDifference(found, summary.totals[statistic.index], layout: layout) else { return nil }
        return "\(matrix.name): the '\(statistic.rawValue)' \(difference)"
    }

    /// What first differs between stored totals and those the matrix gives, in words; nil when the
    /// same bits.
    private static func totalsDifference(_ stored: SummaryTotals?, _ computed: SummaryTotals, layout: SummaryLayout) -> String? {
        guard let stored else { return "totals row does not fit its layer count (or holds half the concentration figures)" }
        if stored.sameBits(as: computed) { return nil }
        let names = ["total"] + layout.layers.map { "total of layer \($0)" } + ComponentKind.allCases.map { "total of kind \($0.rawValue)" }
        if let i = firstDifference(stored.sums, computed.sums) {
            let name = i < names.count ? names[i] : "sum \(i)"
            return "\(name) is \(describe(stored.sums, i)) in the totals, the matrix gives \(describe(computed.sums, i))"
        }
        func text(_ figures: SummaryTotals.ConcentrationFigures?) -> String {
            figures.map { "entropy \($0.entropy), gini \($0.gini), \($0.largest.count) largest from \($0.largest.first ?? .nan)" } ?? "none"
        }
        return "concentration figures are \(text(stored.concentration)) in the totals, the matrix gives \(text(computed.concentration))"
    }

    /// "N components of a run of this precision take B bytes (float32 sums)".
    private static func widthText(_ layout: SummaryLayout, sums: Int, what: String) -> String {
        let precision = layout.encoding == .float64 ? "float32" : "16-bit"
        return "\(sums) \(what) of a \(precision) run take \(sums * layout.encoding.width) (\(layout.encoding.name) sums)"
    }

    private static func describe(_ values: [Double], _ i: Int) -> String {
        i < values.count ? "\(values[i])" : "nothing"
    }

    /// The first index where `stored` differs from `computed` in its bits or is missing; nil when equal.
    private static func firstDifference(_ stored: [Double], _ computed: [Double]) -> Int? {
        for i in computed.indices where i >= stored.count || stored[i].bitPattern != computed[i].bitPattern { return i }
        return stored.count > computed.count ? computed.count : nil
    }
}

/// `attrdb check` found problems: the exit status says so after the table is printed.
public struct CheckFailed: UserFacingError {
    public let problems: Int

    public init(problems: Int) { self.problems = problems }

    public var description: String { "check found \(problems) problem\(problems == 1 ? "" : "s")" }
}
