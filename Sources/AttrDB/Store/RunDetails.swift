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
    /// How many checkpoints have a weights hash (schema 3; 0 for file ingests).
    public var weightsHashes: Int = 0
    /// Checkpoints whose weights hash the same, each group two steps or more.
    public var duplicateWeights: [DuplicateWeights] = []
    /// The rounding to the run's precision (`summary.run.precision`), measured at ingest from the
    /// float32 input: all zero for a float32 run.
    public var rounding: RoundingError
}

extension Store {
    /// The run called `name`, with its scans, metrics, components and statistics described.
    public func details(ofRun name: String) throws -> RunDetails {
        let id = try runID(named: name)
        let summary = try runs().first { $0.run.name == name }
        guard let summary else { throw StoreError.unknownRun(name: name, suggestions: []) }
        let steps = try stepRange(runID: id)
        let scans = try scanDetails(runID: id).map { scan in
            RunDetails.ScanInfo(scan: scan.scan, metrics: try metrics(scanID: scan.id).map(\.name), checkpoints: try checkpointCount(scanID: scan.id))
        }
        let norms = try normCounts(runID: id)
        // Read once for both the counts by kind and the layer count.
        let layers = try componentLayers(runID: id, run: name)
        return RunDetails(summary: summary, firstStep: steps.first, lastStep: steps.last,
                          componentsByKind: try componentCountsByKind(runID: id, layers: layers), layers: layers.blockLayerCount, scans: scans,
                          checkpointStats: try statisticNames(runID: id), residNorms: norms.resid, wovNorms: norms.wov,
                          weightsHashes: try weightsHashCount(runID: id), duplicateWeights: try duplicateWeights(runID: id),
                          rounding: try rounding(runID: id))
    }
}
