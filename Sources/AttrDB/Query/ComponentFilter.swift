/// `--layer` and `--kind`: which components a query keeps.
public struct ComponentFilter: Equatable, Sendable {
    public var layers: Set<Int>
    public var kinds: Set<ComponentKind>

    public init(layers: [Int] = [], kinds: [ComponentKind] = []) {
        self.layers = Set(layers)
        self.kinds = Set(kinds)
    }

    public func keeps(_ component: Component) -> Bool {
        (layers.isEmpty || layers.contains(component.layer)) && (kinds.isEmpty || kinds.contains(component.kind))
    }

    /// Positions of the kept components. A layer or kind that no component has, or a pair of them
    /// that no component has together, is a ``SelectionError`` listing what there is: most often a
    /// typo, and an empty table would hide it. `run` names the run in that message.
    public func positions(in components: [Component], run: String? = nil) throws -> [Int] {
        let kept = components.indices.filter { keeps(components[$0]) }
        guard !components.isEmpty else { return kept }
        let of = run.map { " of run '\(Escape.terminal($0))'" } ?? ""
        let presentLayers = Set(components.map(\.layer)), presentKinds = Set(components.map(\.kind))
        if let missing = layers.subtracting(presentLayers).min() {
            throw SelectionError("--layer \(missing): no component\(of) has layer \(missing) (layers: \(presentLayers.sorted().map(String.init).joined(separator: ", ")))")
        }
        if let missing = ComponentKind.allCases.first(where: { kinds.contains($0) && !presentKinds.contains($0) }) {
            let present = ComponentKind.allCases.filter(presentKinds.contains).map(\.rawValue).joined(separator: ", ")
            throw SelectionError("--kind \(missing.rawValue): no component\(of) is of kind \(missing.rawValue) (kinds: \(present))")
        }
        guard !kept.isEmpty else {
            let options = layers.sorted().map { "--layer \($0)" } + ComponentKind.allCases.filter(kinds.contains).map { "--kind \($0.rawValue)" }
            throw SelectionError("\(options.joined(separator: " ")): no component\(of) has both")
        }
        return kept
    }
}
