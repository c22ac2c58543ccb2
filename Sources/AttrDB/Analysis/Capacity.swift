/// Capacity: how much of each checkpoint's attribution mass each layer (or kind, component, head)
/// carries, and its share of the checkpoint's total.
///
/// ```swift
/// let capacity = Capacity(try ComponentMasses(resolved), by: .layer)
/// capacity.rows[0].share   // checkpoint_step,layer,mass,share
/// ```
public struct Capacity: TabularResult {
    public enum Grouping: String, Sendable, CaseIterable {
        case layer, kind, component, head
    }

    public var grouping: Grouping
    /// The checkpoints' steps, in selection order.
    public let steps: [Int]
    /// The groups, in layer order (kinds in the order of ``ComponentKind``, components in run order).
    public let groups: [CapacityGroup]
    /// The table by columns: each (checkpoint, group)'s mass, checkpoint after checkpoint, and each
    /// checkpoint's total. 8 bytes a row where a ``CapacityRow`` takes 72: `capacity` at 10⁹ values
    /// writes 81 000 rows, each made only as it is written (``forEachRow(_:)``).
    private let masses: [Double]
    private let totals: [Double]

    /// One row per checkpoint and group, groups in the order of ``groups``.
    public var rows: [CapacityRow] { rowsMade(count: masses.count) }

    public func forEachRow(_ body: (CapacityRow) throws -> Void) rethrows {
        for (c, step) in steps.enumerated() {
            let total = totals[c], first = c * groups.count
            for (g, group) in groups.enumerated() {
                let mass = masses[first + g]
                try body(CapacityRow(step: step, group: group, mass: mass, share: total != 0 ? mass / total : .nan))
            }
        }
    }

    public var columns: [ResultColumn] {
        let mass = CapacityRow.mass, share = CapacityRow.share
        switch grouping {
        case .layer: return [.checkpointStep, .layer, mass, share]
        case .kind: return [.checkpointStep, .kind, mass, share]
        case .component, .head: return [.checkpointStep, .component, .layer, .kind, mass, share]
        }
    }

    /// Capacity of a selection: by layer or kind over every component and the whole grid from the
    /// totals ingest kept (``CheckpointTotals``: a few hundred bytes a checkpoint, the same Doubles);
    /// by layer (or a kind made of whole layers) over every component and a `--coef` range from the
    /// per-(layer, coefficient) sums (``LayerRangeSums``, equal to 1e-12 relative); else from each
    /// selected component's masses.
    public init(_ selection: ResolvedSelection, mode: MassMode = .absolute, by grouping: Grouping) throws {
        if grouping == .layer || grouping == .kind, let totals = try CheckpointTotals(selection, statistic: mode.statistic),
           let capacity = Capacity(totals, by: grouping) {
            self = capacity
            return
        }
        if grouping == .layer || grouping == .kind, let sums = try LayerRangeSums(selection, statistic: mode.statistic),
           let capacity = Capacity(sums, by: grouping) {
            self = capacity
            return
        }
        self.init(try ComponentMasses(selection, mode: mode), by: grouping)
    }

    /// Over a `--coef` range, from the per-(layer, coefficient) sums; nil when a group is not made
    /// of whole layers.
    init?(_ sums: LayerRangeSums, by grouping: Grouping) {
        guard let groups = Capacity.groups(sums.layers, by: grouping), let indexes = sums.layerIndexes(of: groups) else { return nil }
        self.init(grouping: grouping, steps: sums.steps, groups: groups, slots: indexes,
                  total: { sums.total(at: $0) }, mass: { sums.mass($0, at: $1) })
    }

    /// From the stored totals; nil when they do not keep the groups' totals.
    init?(_ totals: CheckpointTotals, by grouping: Grouping) {
        guard let groups = Capacity.groups(totals.layers, by: grouping), let slots = totals.slots(of: groups) else { return nil }
        self.init(grouping: grouping, steps: totals.steps, groups: groups, slots: slots,
                  total: { totals.totals[$0].total }, mass: { totals.mass($0, at: $1) })
    }

    /// The share's denominator is the total over every selected component, so `--by head` shows
    /// heads' share of all capacity.
    public init(_ masses: ComponentMasses, by grouping: Grouping) {
        let groups = Capacity.groupsOf(masses.components, by: grouping)
        self.init(grouping: grouping, steps: masses.steps, groups: groups, slots: groups.map(\.members),
                  total: { masses.masses[$0].reduce(0, +) },
                  mass: { members, c in members.reduce(0.0) { $0 + masses.masses[c][$1] } })
    }

    /// Each (checkpoint, group)'s mass and each checkpoint's total; a row's share is the mass / the
    /// total (NaN when the total is 0). `slot` is where each group's mass is found (its members, its
    /// layers, its stored total); `total(c)` and `mass(slot, c)` read checkpoint position `c`.
    private init<Slot>(grouping: Grouping, steps: [Int], groups: [Group], slots: [Slot],
                       total: (Int) -> Double, mass: (Slot, Int) -> Double) {
        var masses: [Double] = []
        masses.reserveCapacity(steps.count * groups.count)
        for c in steps.indices {
            for slot in slots { masses.append(mass(slot, c)) }
        }
        self.grouping = grouping
        self.steps = steps
        self.groups = groups.map(\.key)
        self.masses = masses
        self.totals = steps.indices.map(total)
    }

    /// A layer's name as the tables and plots show it: `embed` for the embeddings' layer, `bias`
    /// for the bias's, else `layer N`.
    public static func layerName(_ layer: Int, in components: [Component]) -> String {
        layerName(layer, kinds: Set(components.filter { $0.layer == layer }.map(\.kind)))
    }

    /// The name of a layer whose components are of `kinds`.
    static func layerName(_ layer: Int, kinds: Set<ComponentKind>) -> String {
        if kinds == [.bias] { return "bias" }
        if kinds.isSubset(of: [.embed, .posEmbed]) { return "embed" }
        return "layer \(layer)"
    }

    struct Group {
        var key: CapacityGroup
        var name: String
        var members: [Int]
    }

    /// The layer or kind groups of a run with `layers`, without their members: all that an answer
    /// from the stored sums needs. Nil for components and heads, which only their rows name.
    static func groups(_ layers: ComponentLayers, by grouping: Grouping) -> [Group]? {
        switch grouping {
        case .layer:
            var names = zip(layers.layers, layers.kindsOfLayer).map { layerName($0, kinds: $1) }
            // Column names must be unique: two layers that would both read `embed` keep their numbers.
            let repeated = Dictionary(grouping: names, by: { $0 }).filter { $0.value.count > 1 }.keys
            for i in names.indices where repeated.contains(names[i]) { names[i] = "layer \(layers.layers[i])" }
            return zip(layers.layers, names).map { Group(key: .layer($0), name: $1, members: []) }
        case .kind:
            let kinds = layers.kinds
            return ComponentKind.allCases.filter(kinds.contains).map { Group(key: .kind($0), name: $0.rawValue, members: []) }
        case .component, .head:
            return nil
        }
    }

    /// The groups of `components` with their members (positions in `components`).
    static func groupsOf(_ components: [Component], by grouping: Grouping) -> [Group] {
        switch grouping {
        case .layer, .kind:
            // Each group's members in one pass over the components: a pass per layer took 170 ms at
            // 737 280 components in 38 layers.
            var groups = Capacity.groups(ComponentLayers(components), by: grouping) ?? []
            let slot = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1.key, $0) })
            for (i, component) in components.enumerated() {
                let key: CapacityGroup = grouping == .layer ? .layer(component.layer) : .kind(component.kind)
                if let s = slot[key] { groups[s].members.append(i) }
            }
            return groups
        case .component, .head:
            return components.indices.compactMap { i in
                let component = components[i]
                if grouping == .head && component.kind != .attnHead { return nil }
                return Group(key: .component(component), name: component.label, members: [i])
            }
        }
    }
}

/// What a capacity row adds up: a layer, a kind, or one component.
public enum CapacityGroup: Hashable, Sendable {
    case layer(Int)
    case kind(ComponentKind)
    case component(Component)
}

/// One checkpoint and group of ``Capacity``.
public struct CapacityRow: ResultRow, Equatable {
    public var step: Int
    public var group: CapacityGroup
    public var mass: Double
    public var share: Double

    public init(step: Int, group: CapacityGroup, mass: Double, share: Double) {
        self.step = step
        self.group = group
        self.mass = mass
        self.share = share
    }

    /// The layer of a layer or a component; nil for a kind.
    public var layer: Int? {
        switch group {
        case .layer(let layer): return layer
        case .component(let component): return component.layer
        case .kind: return nil
        }
    }

    /// The kind of a kind or a component; nil for a layer.
    public var kind: ComponentKind? {
        switch group {
        case .kind(let kind): return kind
        case .component(let component): return component.kind
        case .layer: return nil
        }
    }

    /// The component's label; nil for a layer or a kind.
    public var component: String? {
        if case .component(let component) = group { return component.label }
        return nil
    }

    static let mass = ResultColumn("mass", .double, unit: "the metric's units (squared with --squared)",
                                   meaning: "sum of |value| over the group's components and the selected coefficients (--signed: sum of the values; --squared: sum of their squares)")
    static let share = ResultColumn("share", .double, unit: "fraction of the checkpoint's mass",
                                    meaning: "the group's mass / the total mass of every selected component at the checkpoint; a checkpoint's shares sum to 1 (with --by head, heads' share of all capacity; nan when the total is 0)")

    public static let documentedColumns: [ResultColumn] = [
        .checkpointStep,
        ResultColumn.component.withMeaning("--by component or head: " + ResultColumn.component.meaning),
        ResultColumn.layer.withMeaning("--by layer, component or head: " + ResultColumn.layer.meaning),
        ResultColumn.kind.withMeaning("--by kind, component or head: " + ResultColumn.kind.meaning),
        mass, share,
    ]

    public var cells: [Cell] {
        // One array literal per shape: `--by component` writes a row per component and checkpoint.
        switch group {
        case .layer(let layer): return [.int(step), .int(layer), .double(mass), .double(share)]
        case .kind(let kind): return [.int(step), .text(kind.rawValue), .double(mass), .double(share)]
        case .component(let c): return [.int(step), .text(c.label), .int(c.layer), .text(c.kind.rawValue), .double(mass), .double(share)]
        }
    }

    public func appendCells(to cells: inout [Cell]) {
        cells.append(.int(step))
        switch group {
        case .layer(let layer): cells.append(.int(layer))
        case .kind(let kind): cells.append(.text(kind.rawValue))
        case .component(let c): cells.append(.text(c.label)); cells.append(.int(c.layer)); cells.append(.text(c.kind.rawValue))
        }
        cells.append(.double(mass)); cells.append(.double(share))
    }
}
