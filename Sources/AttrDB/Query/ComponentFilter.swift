/// `--layer`, `--kind` and `--component`: which components a query keeps.
public struct ComponentFilter: Equatable, Sendable {
    public var layers: Set<Int>
    public var kinds: Set<ComponentKind>
    /// Component labels, in the order given (a profile is drawn in this order); empty keeps all.
    public var labels: [String]

    public init(layers: [Int] = [], kinds: [ComponentKind] = [], labels: [String] = []) {
        self.layers = Set(layers)
        self.kinds = Set(kinds)
        self.labels = labels
    }

    /// No `--layer`, `--kind` or `--component` was given.
    public var keepsAll: Bool { layers.isEmpty && kinds.isEmpty && labels.isEmpty }

    public func keeps(_ component: Component) -> Bool {
        (layers.isEmpty || layers.contains(component.layer)) && (kinds.isEmpty || kinds.contains(component.kind))
            && (labels.isEmpty || labels.contains(component.label))
    }

    /// Positions of the kept components. A layer or kind that no component has, or a pair of them
    /// that no component has together, is a ``SelectionError`` listing what there is: most often a
    /// typo, and an empty table would hide it. `run` names the run in that message.
    public func positions(in components: [Component], run: String? = nil) throws -> [Int] {
        let kept = components.indices.filter { keeps(components[$0]) }
        guard !components.isEmpty else { return kept }
        let of = run.map { " of run '\(Escape.terminal($0))'" } ?? ""
        // Each set is made only when its option was given: at 737 280 components, hashing every
        // label for a filter that names none took 180 ms of every query.
        if !labels.isEmpty {
            let presentLabels = Set(components.map(\.label))
            if let missing = labels.first(where: { !presentLabels.contains($0) }) {
                throw StoreError.unknown(what: "component", name: missing, suggestions: Suggestions.closest(to: missing, in: components.map(\.label)))
            }
        }
        if !layers.isEmpty {
            let presentLayers = Set(components.map(\.layer))
            if let missing = layers.subtracting(presentLayers).min() {
                throw SelectionError("--layer \(missing): no component\(of) has layer \(missing) (layers: \(presentLayers.sorted().map(String.init).joined(separator: ", ")))")
            }
        }
        if !kinds.isEmpty {
            let presentKinds = Set(components.map(\.kind))
            if let missing = ComponentKind.allCases.first(where: { kinds.contains($0) && !presentKinds.contains($0) }) {
                let present = ComponentKind.allCases.filter(presentKinds.contains).map(\.rawValue).joined(separator: ", ")
                throw SelectionError("--kind \(missing.rawValue): no component\(of) is of kind \(missing.rawValue) (kinds: \(present))")
            }
        }
        guard !kept.isEmpty else {
            let options = layers.sorted().map { "--layer \($0)" } + ComponentKind.allCases.filter(kinds.contains).map { "--kind \($0.rawValue)" }
                + labels.map { "--component \($0)" }
            throw SelectionError("\(options.joined(separator: " ")): no component\(of) has \(options.count == 2 ? "both" : "all of these")")
        }
        return kept
    }
}
