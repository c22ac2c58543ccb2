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

    /// Positions of the kept components.
    public func positions(in components: [Component]) -> [Int] {
        components.indices.filter { keeps(components[$0]) }
    }
}
