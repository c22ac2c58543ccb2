/// One column of a typed result: its name, the type of its values, its unit and what it means.
///
/// ```swift
/// let share = ResultColumn("share", .double, unit: "fraction of the checkpoint's mass",
///                          meaning: "mass / the total mass of every selected component at the checkpoint")
/// ```
public struct ResultColumn: Equatable, Sendable {
    /// The type of a column's values, as the output formats write them.
    public enum ValueType: String, Sendable {
        case integer
        /// A stored attribution value, written with the fewest digits that read back as the same float32.
        case float32
        case double
        case text
        /// Text or an integer by row: the values of a key/value listing such as `show`.
        case mixed
    }

    public var name: String
    public var type: ValueType
    /// The unit or scale, e.g. "nats"; nil for counts, labels and steps.
    public var unit: String?
    /// What the value is, in a researcher's words: the denominator of a share, the sign of a difference.
    public var meaning: String
    /// Whether a row may leave it empty (null), and when — the meaning says why.
    public var nullable: Bool

    public init(_ name: String, _ type: ValueType, unit: String? = nil, nullable: Bool = false, meaning: String) {
        self.name = name
        self.type = type
        self.unit = unit
        self.nullable = nullable
        self.meaning = meaning
    }

    /// The same column under another name (e.g. `top_10_share` for the documented `top_k_share`).
    func named(_ name: String) -> ResultColumn {
        var copy = self
        copy.name = name
        return copy
    }

    /// The same column with another meaning (e.g. saying which groupings have it).
    func withMeaning(_ meaning: String) -> ResultColumn {
        var copy = self
        copy.meaning = meaning
        return copy
    }

    /// The same column with another value type (e.g. a text coefficient for a range's mean).
    func typed(_ type: ValueType) -> ResultColumn {
        var copy = self
        copy.type = type
        return copy
    }

    /// Whether `cell` is a value of this column: its type, or null where the column allows it.
    public func admits(_ cell: Cell) -> Bool {
        switch (cell, type) {
        case (.int, .integer), (.float, .float32), (.double, .double), (.text, .text), (.int, .mixed), (.text, .mixed): return true
        case (.null, _): return nullable
        default: return false
        }
    }
}

extension ResultColumn {
    // Columns many results share, described once.
    static let checkpointStep = ResultColumn("checkpoint_step", .integer, meaning: "the training step of the checkpoint")
    static let component = ResultColumn("component", .text, meaning: "the component's label in TransformerLens's words: embed, pos_embed, L3H5, 3_mlp_out, L1N234, bias")
    static let layer = ResultColumn("layer", .integer, meaning: "the component's layer: −1 for the embeddings, the layer number for heads, MLPs and neurons, the number of layers for the bias")
    static let kind = ResultColumn("kind", .text, meaning: "what part of the model: embed, pos_embed, attn_head, mlp, neuron or bias")
}
