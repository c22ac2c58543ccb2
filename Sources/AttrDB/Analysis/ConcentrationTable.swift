/// Concentration per checkpoint: is attribution held by a few components or spread over many?
public enum ConcentrationTable {
    public static func columns(top k: Int) -> [String] {
        ["checkpoint_step", "entropy", "effective_components", "gini", "top_\(k)_share"]
    }

    /// Over the component shares of mass (sum of |value| over the selected coefficients): entropy
    /// in nats, effective components = exp(entropy), Gini, and the share of the `k` largest.
    /// A checkpoint whose masses are all 0 has no shares: its row is null past the step.
    public static func table(_ masses: ComponentMasses, top k: Int) -> ResultTable {
        ResultTable(columns: columns(top: k), rows: zip(masses.steps, masses.masses).map { step, row in
            guard let measures = try? Concentration(masses: row) else { return [.int(step), .null, .null, .null, .null] }
            return [.int(step), .double(measures.entropy), .double(measures.effectiveNumber), .double(measures.gini), .double(measures.topShare(k))]
        })
    }
}
