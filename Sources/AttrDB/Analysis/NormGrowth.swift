/// Residual-stream norm growth across layers, and W_OV norms per head, per checkpoint.
public enum NormGrowth {
    /// Per checkpoint: the least-squares slope of ln(norm) against layer over the `resid_pre`
    /// hooks, as 100·(exp(slope) − 1). `wide` adds each hook's norm as a column (`resid_pre_0`, …).
    public static func residual(store: Store, run: String, checkpoints selection: CheckpointSelection, wide: Bool) throws -> ResidualNorms {
        var byStep: [(step: Int, norms: [(layer: Int, hook: String, norm: Double)])] = []
        for norm in try store.residNorms(ofRun: run) {
            if byStep.last?.step != norm.step { byStep.append((norm.step, [])) }
            byStep[byStep.count - 1].norms.append((norm.layer, norm.hook, norm.norm))
        }
        let picked = try selection.indices(in: byStep.map(\.step), run: run).map { byStep[$0] }
        let hooks = wide ? Array(Set(picked.flatMap { $0.norms.map { "\($0.hook)_\($0.layer)" } })).sorted { hookOrder($0) < hookOrder($1) } : []
        var rows: [ResidualNormRow] = []
        for entry in picked {
            let pre = entry.norms.filter { $0.hook == "resid_pre" }
            let growth = try? residualNormGrowthPercentPerLayer(layers: pre.map { Double($0.layer) }, norms: pre.map(\.norm))
            rows.append(ResidualNormRow(step: entry.step, growthPercentPerLayer: growth, norms: hooks.map { hook in
                entry.norms.first { "\($0.hook)_\($0.layer)" == hook }?.norm
            }))
        }
        return ResidualNorms(hooks: hooks, rows: rows)
    }

    /// `resid_pre_0 < resid_pre_1 < … < resid_post_N`: layers in order, resid_post last.
    static func hookOrder(_ name: String) -> (Int, Int, String) {
        let layer = Int(name.split(separator: "_").last ?? "") ?? 0
        return (name.hasPrefix("resid_pre") ? 0 : 1, layer, name)
    }

    /// W_OV Frobenius norms per head, with each checkpoint's growth per layer: the slope of
    /// ln(norm) against layer over all heads, as 100·(exp(slope) − 1).
    public static func wov(store: Store, run: String, checkpoints selection: CheckpointSelection) throws -> WOVNorms {
        var byStep: [(step: Int, heads: [(layer: Int, head: Int, norm: Double)])] = []
        for norm in try store.wovNorms(ofRun: run) {
            if byStep.last?.step != norm.step { byStep.append((norm.step, [])) }
            byStep[byStep.count - 1].heads.append((norm.layer, norm.head, norm.frobeniusNorm))
        }
        var rows: [WOVNormRow] = []
        for entry in try selection.indices(in: byStep.map(\.step), run: run).map({ byStep[$0] }) {
            let growth = try? residualNormGrowthPercentPerLayer(layers: entry.heads.map { Double($0.layer) }, norms: entry.heads.map(\.norm))
            for head in entry.heads {
                rows.append(WOVNormRow(step: entry.step, layer: head.layer, head: head.head, frobeniusNorm: head.norm, growthPercentPerLayer: growth))
            }
        }
        return WOVNorms(rows: rows)
    }
}
