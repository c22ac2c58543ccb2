/// What part of the model a component is.
public enum ComponentKind: String, CaseIterable, Sendable, Codable {
    case embed
    case posEmbed = "pos_embed"
    case attnHead = "attn_head"
    case mlp
    case neuron
    case bias
}

/// A named part of a run's model, in TransformerLens's words: `embed`, `pos_embed`, `L3H5`,
/// `3_mlp_out`, `L1N234`, `bias`.
public struct Component: Equatable, Hashable, Sendable {
    public var label: String
    /// −1 for the embeddings, the layer number for heads, MLPs and neurons, n_layers for the bias.
    public var layer: Int
    public var kind: ComponentKind
    /// The head number of an attention head, the neuron number of a neuron, else nil.
    public var index: Int?

    public init(label: String, layer: Int, kind: ComponentKind, index: Int? = nil) {
        self.label = label
        self.layer = layer
        self.kind = kind
        self.index = index
    }

    /// Parses a TransformerLens label. The bias's layer is the number of layers, which a label
    /// alone does not tell: pass `layerCount` when known, else the bias sits one past the last layer seen.
    public static func parse(label: String, layerCount: Int? = nil) -> Component? {
        switch label {
        case "embed": return Component(label: label, layer: -1, kind: .embed)
        case "pos_embed": return Component(label: label, layer: -1, kind: .posEmbed)
        case "bias": return Component(label: label, layer: layerCount ?? -2, kind: .bias)
        default: break
        }
        if label.hasSuffix("_mlp_out"), let layer = Int(label.dropLast("_mlp_out".count)), layer >= 0 {
            return Component(label: label, layer: layer, kind: .mlp)
        }
        guard label.first == "L" else { return nil }
        for (separator, kind) in [("H", ComponentKind.attnHead), ("N", .neuron)] {
            let parts = label.dropFirst().split(separator: Character(separator), omittingEmptySubsequences: false)
            if parts.count == 2, let layer = Int(parts[0]), let index = Int(parts[1]), layer >= 0, index >= 0,
               parts[0].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isASCII) {
                return Component(label: label, layer: layer, kind: kind, index: index)
            }
        }
        return nil
    }

    /// Parses labels in order; a `bias` without a known layer count goes one past the deepest layer.
    public static func parse(labels: [String]) -> [Component?] {
        var parsed = labels.map { parse(label: $0) }
        let deepest = parsed.compactMap { $0?.kind == .bias ? nil : $0?.layer }.max() ?? -1
        for i in parsed.indices where parsed[i]?.kind == .bias { parsed[i]?.layer = deepest + 1 }
        return parsed
    }
}
