/// Each selected checkpoint's stored totals (schema/0006_summary_totals.sql: per matrix and
/// statistic, the total of the component sums, per layer, per kind, and concentration's figures),
/// when they answer the selection: every component kept, the whole coefficient grid, and every
/// selected matrix keeping them. Then `capacity --by layer|kind` and `concentration` read a few
/// hundred bytes a checkpoint instead of 8 a component, and answer the very Doubles the values give
/// (each total is added in the order ``Capacity`` adds a group's masses).
///
/// `ATTRDB_MASSES_FROM=values` in the environment turns this off, as it does the summaries.
struct CheckpointTotals {
    let steps: [Int]
    /// In selection order.
    let totals: [SummaryTotals]
    /// The run's layers and kinds (all of its components are selected).
    let layers: ComponentLayers

    /// Nil when the totals do not answer `selection` (see the type's comment); the caller then
    /// reduces each component's masses.
    init?(_ selection: ResolvedSelection, statistic: SummaryStatistic) throws {
        let scan = selection.scan
        guard !ComponentMasses.valuesForced, selection.coefficients == 0..<scan.coefficients.count,
              selection.keepsEveryComponent else { return nil }
        let reader = try scan.store.totalsReader(statistic)
        var totals: [SummaryTotals] = []
        totals.reserveCapacity(selection.checkpoints.count)
        let complete = try scan.store.reading {
            for checkpoint in selection.checkpoints {
                guard let found = try reader.totals(attributionID: scan.checkpoints[checkpoint].attributionID) else { return false }
                totals.append(found)
            }
            return true
        }
        guard complete else { return nil }
        self.steps = selection.steps
        self.totals = totals
        self.layers = scan.layers
    }

    /// Where a group's total is kept in each checkpoint's ``SummaryTotals``.
    enum Slot {
        case layer(Int), kind(Int)
    }

    /// Each group's slot; nil when a group's total is not kept (a component), or a checkpoint's
    /// totals do not have the run's layers.
    func slots(of groups: [Capacity.Group]) -> [Slot]? {
        let layers = self.layers.layers
        guard totals.allSatisfy({ $0.layers.count == layers.count && $0.kinds.count == ComponentKind.allCases.count }) else { return nil }
        var slots: [Slot] = []
        for group in groups {
            switch group.key {
            case .layer(let layer):
                guard let i = layers.firstIndex(of: layer) else { return nil }
                slots.append(.layer(i))
            case .kind(let kind):
                guard let i = ComponentKind.allCases.firstIndex(of: kind) else { return nil }
                slots.append(.kind(i))
            case .component:
                return nil
            }
        }
        return slots
    }

    /// The total in `slot` at checkpoint `index` (of ``steps``).
    func mass(_ slot: Slot, at index: Int) -> Double {
        switch slot {
        case .layer(let i): return totals[index].layers[i]
        case .kind(let i): return totals[index].kinds[i]
        }
    }
}
