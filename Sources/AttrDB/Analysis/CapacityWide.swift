/// Capacity shares pivoted: one row per checkpoint, one column per group, named as the plots name
/// them (`embed`, `layer 0`, …, `bias`; kinds; component labels).
///
/// ```swift
/// let wide = CapacityWide(try ComponentMasses(resolved), by: .layer)
/// wide.groups          // ["embed", "layer 0", "layer 1", "bias"]
/// wide.rows[0].shares  // one share per group
/// ```
public struct CapacityWide: TabularResult {
    /// The groups' names, in the order of each row's shares.
    public var groups: [String]
    public var rows: [CapacityWideRow]

    public var columns: [ResultColumn] {
        [.checkpointStep] + groups.map { CapacityWideRow.groupShare.named($0) }
    }

    public init(groups: [String], rows: [CapacityWideRow]) {
        self.groups = groups
        self.rows = rows
    }

    /// The same shares as ``Capacity/init(_:mode:by:)``'s rows: from the stored totals when they
    /// answer the selection (``CheckpointTotals``), over a `--coef` range from the per-(layer,
    /// coefficient) sums (``LayerRangeSums``), else from each selected component's masses.
    public init(_ selection: ResolvedSelection, mode: MassMode = .absolute, by grouping: Capacity.Grouping) throws {
        if grouping == .layer || grouping == .kind, let totals = try CheckpointTotals(selection, statistic: mode.statistic) {
            if let groups = Capacity.groups(totals.layers, by: grouping), let slots = totals.slots(of: groups) {
                let rows = totals.steps.enumerated().map { c, step in
                    let total = totals.totals[c].total
                    return CapacityWideRow(step: step, shares: slots.map { slot in
                        let mass = totals.mass(slot, at: c)
                        return total != 0 ? mass / total : .nan
                    })
                }
                self.init(groups: groups.map(\.name), rows: rows)
                return
            }
        }
        // Over a --coef range: from the per-(layer, coefficient) sums when the groups are whole layers.
        if grouping == .layer || grouping == .kind, let sums = try LayerRangeSums(selection, statistic: mode.statistic) {
            if let groups = Capacity.groups(sums.layers, by: grouping), let indexes = sums.layerIndexes(of: groups) {
                let rows = sums.steps.enumerated().map { c, step in
                    let total = sums.total(at: c)
                    return CapacityWideRow(step: step, shares: indexes.map { layers in
                        let mass = sums.mass(layers, at: c)
                        return total != 0 ? mass / total : .nan
                    })
                }
                self.init(groups: groups.map(\.name), rows: rows)
                return
            }
        }
        self.init(try ComponentMasses(selection, mode: mode), by: grouping)
    }

    /// The same shares as ``Capacity``'s rows, summed in the same order.
    public init(_ masses: ComponentMasses, by grouping: Capacity.Grouping) {
        let groups = Capacity.groupsOf(masses.components, by: grouping)
        var rows: [CapacityWideRow] = []
        for (c, step) in masses.steps.enumerated() {
            let total = masses.masses[c].reduce(0, +)
            rows.append(CapacityWideRow(step: step, shares: groups.map { group in
                let mass = group.members.reduce(0.0) { $0 + masses.masses[c][$1] }
                return total != 0 ? mass / total : .nan
            }))
        }
        self.init(groups: groups.map(\.name), rows: rows)
    }
}

/// One checkpoint of ``CapacityWide``: each group's share.
public struct CapacityWideRow: ResultRow, Equatable {
    public var step: Int
    public var shares: [Double]

    public init(step: Int, shares: [Double]) {
        self.step = step
        self.shares = shares
    }

    static let groupShare = CapacityRow.share.named("<group>")
        .withMeaning("one column per group, named embed, layer 0, layer 1, …, bias (--by kind: the kinds; --by component or head: the labels): "
                     + CapacityRow.share.meaning)

    public static let documentedColumns: [ResultColumn] = [.checkpointStep, groupShare]

    public var cells: [Cell] { [.int(step)] + shares.map(Cell.double) }
}
