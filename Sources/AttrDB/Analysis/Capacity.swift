/// Capacity: how much of each checkpoint's attribution mass each layer (or kind, component, head)
/// carries, and its share of the checkpoint's total.
///
/// ```swift
/// let table = try Capacity.table(ComponentMasses(resolved), by: .layer)
/// // checkpoint_step,layer,mass,share
/// ```
public enum Capacity {
    public enum Grouping: String, Sendable, CaseIterable {
        case layer, kind, component, head
    }

    public static func columns(by grouping: Grouping) -> [String] {
        switch grouping {
        case .layer: return ["checkpoint_step", "layer", "mass", "share"]
        case .kind: return ["checkpoint_step", "kind", "mass", "share"]
        case .component, .head: return ["checkpoint_step", "component", "layer", "kind", "mass", "share"]
        }
    }

    /// One row per checkpoint and group, groups in layer order (kinds in the order of
    /// ``ComponentKind``, components in run order). The share's denominator is the total over
    /// every selected component, so `--by head` shows heads' share of all capacity.
    public static func table(_ masses: ComponentMasses, by grouping: Grouping) -> ResultTable {
        let groups = groupsOf(masses.components, by: grouping)
        var rows: [[Cell]] = []
        for (c, step) in masses.steps.enumerated() {
            let total = masses.masses[c].reduce(0, +)
            for group in groups {
                let mass = group.members.reduce(0.0) { $0 + masses.masses[c][$1] }
                rows.append([.int(step)] + group.key + [.double(mass), .double(total != 0 ? mass / total : .nan)])
            }
        }
        return ResultTable(columns: columns(by: grouping), rows: rows)
    }

    /// The shares pivoted: one row per checkpoint, one column per group.
    public static func wideTable(_ masses: ComponentMasses, by grouping: Grouping) -> ResultTable {
        let groups = groupsOf(masses.components, by: grouping)
        var rows: [[Cell]] = []
        for (c, step) in masses.steps.enumerated() {
            let total = masses.masses[c].reduce(0, +)
            rows.append([.int(step)] + groups.map { group in
                let mass = group.members.reduce(0.0) { $0 + masses.masses[c][$1] }
                return .double(total != 0 ? mass / total : .nan)
            })
        }
        return ResultTable(columns: ["checkpoint_step"] + groups.map(\.name), rows: rows)
    }

    struct Group {
        var key: [Cell]
        var name: String
        var members: [Int]
    }

    static func groupsOf(_ components: [Component], by grouping: Grouping) -> [Group] {
        switch grouping {
        case .layer:
            return Set(components.map(\.layer)).sorted().map { layer in
                Group(key: [.int(layer)], name: "layer_\(layer)", members: components.indices.filter { components[$0].layer == layer })
            }
        case .kind:
            return ComponentKind.allCases.compactMap { kind in
                let members = components.indices.filter { components[$0].kind == kind }
                return members.isEmpty ? nil : Group(key: [.text(kind.rawValue)], name: kind.rawValue, members: members)
            }
        case .component, .head:
            return components.indices.compactMap { i in
                let component = components[i]
                if grouping == .head && component.kind != .attnHead { return nil }
                return Group(key: [.text(component.label), .int(component.layer), .text(component.kind.rawValue)], name: component.label, members: [i])
            }
        }
    }
}
