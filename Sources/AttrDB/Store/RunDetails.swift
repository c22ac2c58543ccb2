/// Everything `attrdb show` tells about one run.
public struct RunDetails: Sendable {
    public struct ScanInfo: Sendable {
        public var scan: Scan
        public var metrics: [String]
        public var checkpoints: Int
    }

    public var summary: RunSummary
    public var firstStep: Int?
    public var lastStep: Int?
    public var componentsByKind: [(kind: String, count: Int)]
    public var layers: Int
    public var scans: [ScanInfo]
    public var checkpointStats: [String]
    public var residNorms: Int
    public var wovNorms: Int
}

extension Store {
    /// The run called `name`, with its scans, metrics, components and statistics described.
    public func details(ofRun name: String) throws -> RunDetails {
        let id = try runID(named: name)
        let summary = try runs().first { $0.run.name == name }
        guard let summary else { throw StoreError.unknownRun(name: name, suggestions: []) }
        let arg: [SQLValue] = [.integer(id)]
        let steps = try connection.prepare("SELECT min(step), max(step) FROM checkpoint WHERE run_id = ?")
        try steps.bind(arg)
        try steps.step()
        var kinds: [(String, Int)] = []
        try connection.forEachRow("SELECT kind, count(*) FROM component WHERE run_id = ? GROUP BY kind ORDER BY min(position)", arg) {
            kinds.append(($0.string(at: 0), $0.int(at: 1)))
        }
        let layers = try connection.scalar("SELECT count(DISTINCT layer) FROM component WHERE run_id = ? AND kind IN ('attn_head', 'mlp', 'neuron')", arg)?.int64 ?? 0
        var scans: [RunDetails.ScanInfo] = []
        try connection.forEachRow("SELECT scan_id, name, hook, config FROM scan WHERE run_id = ? ORDER BY scan_id", arg) { row in
            let scanID = row.int64(at: 0)
            var coefficients: [Double] = []
            try connection.forEachRow("SELECT value FROM coefficient WHERE scan_id = ? ORDER BY position", [.integer(scanID)]) {
                coefficients.append($0.double(at: 0))
            }
            var metrics: [String] = []
            try connection.forEachRow("SELECT DISTINCT m.name FROM attribution a JOIN metric m USING (metric_id) WHERE a.scan_id = ? ORDER BY m.name", [.integer(scanID)]) {
                metrics.append($0.string(at: 0))
            }
            let checkpoints = try connection.scalar("SELECT count(DISTINCT checkpoint_id) FROM attribution WHERE scan_id = ?", [.integer(scanID)])?.int64 ?? 0
            scans.append(.init(scan: Scan(name: row.string(at: 1), hook: row.optionalString(at: 2), config: row.string(at: 3), coefficients: coefficients),
                               metrics: metrics, checkpoints: Int(checkpoints)))
        }
        var stats: [String] = []
        try connection.forEachRow("SELECT DISTINCT s.name FROM checkpoint_stat s JOIN checkpoint c USING (checkpoint_id) WHERE c.run_id = ? ORDER BY s.name", arg) {
            stats.append($0.string(at: 0))
        }
        let resid = try connection.scalar("SELECT count(*) FROM resid_norm JOIN checkpoint USING (checkpoint_id) WHERE run_id = ?", arg)?.int64 ?? 0
        let wov = try connection.scalar("SELECT count(*) FROM wov_norm JOIN checkpoint USING (checkpoint_id) WHERE run_id = ?", arg)?.int64 ?? 0
        return RunDetails(summary: summary, firstStep: steps.optionalInt(at: 0), lastStep: steps.optionalInt(at: 1),
                          componentsByKind: kinds, layers: Int(layers), scans: scans, checkpointStats: stats,
                          residNorms: Int(resid), wovNorms: Int(wov))
    }
}
