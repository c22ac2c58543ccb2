/// Everything a query command selects: the scan, checkpoints, coefficients and components.
public struct QuerySelection: Sendable {
    public var checkpoints: CheckpointSelection
    public var coefficients: CoefficientSelection
    public var components: ComponentFilter

    public init(checkpoints: CheckpointSelection = .all, coefficients: CoefficientSelection = .all, components: ComponentFilter = ComponentFilter()) {
        self.checkpoints = checkpoints
        self.coefficients = coefficients
        self.components = components
    }
}

/// A selection resolved against one scan: indices ready to read.
public struct ResolvedSelection {
    public let scan: ScanSelection
    /// Indices into `scan.checkpoints`.
    public let checkpoints: [Int]
    /// Positions in the coefficient grid.
    public let coefficients: Range<Int>
    /// Positions of the kept components.
    public let components: [Int]

    public init(scan: ScanSelection, selection: QuerySelection) throws {
        self.scan = scan
        checkpoints = try selection.checkpoints.indices(in: scan.checkpoints.map(\.step), run: scan.run)
        coefficients = try selection.coefficients.positions(in: scan.coefficients, run: scan.run)
        components = try selection.components.positions(in: scan.components, run: scan.run)
    }

    public var steps: [Int] { checkpoints.map { scan.checkpoints[$0].step } }
}
