/// Everything a query selects, parsed once from the command line: the runs, the scan and metric,
/// checkpoints, coefficients and components. Every query command, plot, the report and export take
/// this one value, so a selection means the same wherever it is given.
///
/// ```swift
/// let selection = QuerySelection(runs: ["modadd"], checkpoints: .every(4), coefficients: .nearest(0))
/// let resolved = try selection.resolve(in: store)   // one ResolvedSelection per run
/// ```
public struct QuerySelection: Sendable {
    public var runs: [String]
    /// nil: the run's only scan, else `default`.
    public var scan: String?
    /// nil: the scan's only metric.
    public var metric: String?
    public var checkpoints: CheckpointSelection
    public var coefficients: CoefficientSelection
    public var components: ComponentFilter

    public init(runs: [String] = [], scan: String? = nil, metric: String? = nil, checkpoints: CheckpointSelection = .all,
                coefficients: CoefficientSelection = .all, components: ComponentFilter = ComponentFilter()) {
        self.runs = runs
        self.scan = scan
        self.metric = metric
        self.checkpoints = checkpoints
        self.coefficients = coefficients
        self.components = components
    }

    /// Each run's scan resolved with the selection. Every run is resolved before any is read, so a
    /// selection that cannot select is refused with nothing written.
    public func resolve(in store: Store) throws -> [ResolvedSelection] {
        try runs.map { try ResolvedSelection(scan: ScanSelection(store: store, run: $0, scan: scan, metric: metric), selection: self) }
    }
}

/// A selection resolved against one scan: indices ready to read.
public struct ResolvedSelection {
    public let scan: ScanSelection
    /// The selection this was resolved from: tables read outside the scan (norms, losses) apply
    /// its checkpoint selection to their own steps, as the scan's were.
    public let selection: QuerySelection
    /// Indices into `scan.checkpoints`.
    public let checkpoints: [Int]
    /// Positions in the coefficient grid.
    public let coefficients: Range<Int>
    /// Positions of the kept components, ascending.
    public let components: [Int]
    /// Whether ``components`` is every component of the run: the summaries' totals answer only then.
    public var keepsEveryComponent: Bool { components.count == scan.layers.count }

    public init(scan: ScanSelection, selection: QuerySelection) throws {
        self.scan = scan
        self.selection = selection
        checkpoints = try selection.checkpoints.indices(in: scan.checkpoints.map(\.step), run: scan.run)
        coefficients = try selection.coefficients.positions(in: scan.coefficients, run: scan.run)
        // With no filter the component rows are not read: a whole-grid query needs none of them.
        components = selection.components.keepsAll ? Array(0..<scan.layers.count)
            : try selection.components.positions(in: try scan.components, run: scan.run)
    }

    private init(_ other: ResolvedSelection, checkpoints: [Int]) {
        scan = other.scan
        selection = other.selection
        self.checkpoints = checkpoints
        coefficients = other.coefficients
        components = other.components
    }

    /// The same selection narrowed to its first and last checkpoints (the one checkpoint when it
    /// selects one, none when none): what a first-to-last comparison reads.
    public func endpoints() -> ResolvedSelection {
        guard let first = checkpoints.first, let last = checkpoints.last else { return self }
        return ResolvedSelection(self, checkpoints: first == last ? [first] : [first, last])
    }

    public var steps: [Int] { checkpoints.map { scan.checkpoints[$0].step } }
}
