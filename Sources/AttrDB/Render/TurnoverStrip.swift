/// Turnover drawn compactly: which components hold a share at or above the cut-off at each
/// checkpoint (a step × component strip on the report's step axis), and per step who entered and who
/// was priced out — instead of one row per crossing.
enum TurnoverStrip {
    /// At most this many components get a row of the strip: those with the largest peak share.
    static let maxRows = 40

    /// Nil when no component reaches the cut-off.
    static func timeline(_ masses: ComponentMasses, cutoff: Double, run: String, metric: String, marker: Timeline.Marker?) -> Timeline? {
        let shares = Turnover.shares(masses)
        // The components at or above the cut-off at some checkpoint (those that cross it, and those that
        // hold capacity throughout), in the order they first reach it.
        let position = Dictionary(masses.components.enumerated().map { ($1.label, $0) }, uniquingKeysWith: { first, _ in first })
        var crossing: [String] = []
        for row in shares {
            for (p, share) in row.enumerated() where share >= cutoff && !crossing.contains(masses.components[p].label) {
                crossing.append(masses.components[p].label)
            }
        }
        func peak(_ label: String) -> Double { shares.map { $0[position[label] ?? 0] }.max() ?? 0 }
        guard !crossing.isEmpty else { return nil }
        let kept = Set(crossing.sorted { peak($0) > peak($1) }.prefix(maxRows))
        let rows = crossing.filter(kept.contains)
        let more = crossing.count - rows.count
        return Timeline(
            title: "\(run), \(metric): the \(crossing.count) components whose share reaches \(Axis.label(cutoff)) at some checkpoint, in the order they first do"
                + (more > 0 ? " (the \(rows.count) with the largest peak share; +\(more) more)" : ""),
            steps: masses.steps,
            panels: [.heatmap(title: "Share of Σ|\(metric)| where at or above \(Axis.label(cutoff)); pale below", rows: rows,
                              values: rows.map { label in shares.map { $0[position[label] ?? 0] } }, colorbar: "share of mass", floor: cutoff)],
            marker: marker)
    }

    /// One row per step where something crossed: who entered, who was priced out.
    static func lists(_ events: TurnoverEvents, cutoff: Double) -> ReportPage.Section {
        var steps: [(step: Int, previous: Int, entered: [String], out: [String])] = []
        for event in events.rows {
            if steps.last?.step != event.step { steps.append((event.step, event.previousStep, [], [])) }
            switch event.event {
            case .enter: steps[steps.count - 1].entered.append(event.component.label)
            case .exit: steps[steps.count - 1].out.append(event.component.label)
            }
        }
        let cut = Axis.label(cutoff)
        return .lists(title: "Turnover by step", headers: [
            ("checkpoint_step", "the checkpoint where the shares are compared with the one before"),
            ("previous_step", "the selected checkpoint before it"),
            ("entered", "components whose share rose from below \(cut) to at or above it"),
            ("priced_out", "components whose share fell from at or above \(cut) to below it"),
        ], rows: steps.map { [String($0.step), String($0.previous), $0.entered.joined(separator: ", "), $0.out.joined(separator: ", ")] }, note: nil)
    }
}
