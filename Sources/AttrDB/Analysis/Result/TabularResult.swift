/// A result an analysis returns: typed rows under columns known in advance, so a plot, the report
/// or `compare` reads `row.share`, never a cell by position.
///
/// A new analysis goes in `Analysis/`, its result and row types beside it (`Capacity` and
/// `CapacityRow`): the row lists its columns with their meanings and its cells in their order, and
/// the row type joins ``ColumnCatalog/entries`` so `attrdb columns` explains it.
///
/// ```swift
/// let capacity = Capacity(masses, by: .layer)
/// let last = capacity.rows.last?.share
/// try TableWriter.write(ResultTable(capacity), format: .csv, sink: .standardOutput())
/// ```
public protocol TabularResult: Sendable {
    associatedtype Row: ResultRow
    /// The columns of this result in order; each row's ``ResultRow/cells`` has one cell per column.
    var columns: [ResultColumn] { get }
    var rows: [Row] { get }
    /// Calls `body` with each of ``rows`` in order. A result that keeps its table by columns
    /// (``Capacity``, ``CapacityComparison``: 81 000 rows at 10⁹ values) makes each row only as it
    /// is written, with no array of them.
    func forEachRow(_ body: (Row) throws -> Void) rethrows
}

/// One row of a ``TabularResult``.
public protocol ResultRow: Sendable {
    /// Every column a row of this type can have, with its meaning: what `attrdb help columns` prints.
    /// Results whose columns vary (by grouping, by `k`, one per layer) document a pattern column.
    static var documentedColumns: [ResultColumn] { get }
    /// The row's values in the order of its result's columns, for output only.
    var cells: [Cell] { get }
    /// Appends ``cells`` to `cells`: the output's one reused array, so a row of a long table makes
    /// no array of its own.
    func appendCells(to cells: inout [Cell])
}

extension ResultRow {
    public func appendCells(to cells: inout [Cell]) {
        cells.append(contentsOf: self.cells)
    }
}

extension TabularResult {
    /// For a result of fixed shape, the columns are the row type's documented ones.
    public var columns: [ResultColumn] { Row.documentedColumns }

    public func forEachRow(_ body: (Row) throws -> Void) rethrows {
        for row in rows { try body(row) }
    }

    /// ``rows`` of a result that keeps its table by columns and makes its `count` rows in
    /// ``forEachRow(_:)``: for the callers that want them all at once.
    func rowsMade(count: Int) -> [Row] {
        var rows: [Row] = []
        rows.reserveCapacity(count)
        forEachRow { rows.append($0) }
        return rows
    }
}

extension ResultTable {
    /// A typed result as a table for output: the one place a result becomes cells.
    ///
    /// Inlinable so a caller in another module (the command-line tool) gets it specialised for the
    /// result's type: generic, it reached each row through a key path and value witnesses, which
    /// cost `capacity --by component` on 100 M values (800 000 rows) about 3% more CPU.
    @inlinable
    public init<Result: TabularResult>(_ result: Result) {
        let columns = result.columns
        self.init(columns: columns.map { $0.name }, rows: result.rows.map { $0.cells }, types: columns.map { $0.type })
    }
}
