import Foundation

/// Writes rows to a Hive-partitioned Parquet dataset: each row goes to
/// `root/col1=value/col2=value/part-N.parquet` by the values of its partition columns, which the
/// files themselves leave out, the layout Hive and Spark write and pyarrow and DuckDB read.
///
/// At most `maxOpenFiles` files are open at once; when another partition needs one, the file
/// used least recently is closed. Rows of one partition usually arrive together, so this rarely
/// splits a partition; one that comes back after its file was closed continues in
/// `part-1.parquet`, `part-2.parquet`, and so on. Values are escaped as Hive escapes them; a
/// null or empty value is written `__HIVE_DEFAULT_PARTITION__`, which readers read back as null.
/// Each open file holds up to one row group in memory, so memory stays within `maxOpenFiles`
/// row groups however many partitions there are.
///
/// The dataset is written into a temporary folder beside `root` and renamed into place by
/// ``close()`` (see ``AtomicFolder``): a failed export leaves no part files behind, and an old
/// dataset at `root` stays whole until the new one replaces it.
///
/// ```swift
/// let dataset = try PartitionedParquetWriter(root: "export", columns: [
///     ParquetColumn("run", .string),
///     ParquetColumn("checkpoint_step", .int64),
///     ParquetColumn("share", .double),
/// ], partitionBy: ["run"])
/// try dataset.write([.text("tl-modadd"), .int(4000), .double(0.25)])
/// try dataset.close()  // export/run=tl-modadd/part-0.parquet
/// ```
public final class PartitionedParquetWriter {
    public let root: String
    public let columns: [ParquetColumn]
    public let partitionBy: [String]
    public let rowGroupRows: Int
    public let maxOpenFiles: Int
    /// The files begun so far, in that order, by the paths they have once ``close()`` moved the
    /// dataset into place.
    public private(set) var files: [String] = []
    /// Rows written so far.
    public private(set) var rowCount = 0

    private let partitionIndices: [Int]
    private let fileIndices: [Int]
    private let fileColumns: [ParquetColumn]
    private var open: [String: ParquetWriter] = [:]
    /// Folders of the open files, the least recently used first.
    private var recency: [String] = []
    private var partsBegun: [String: Int] = [:]
    private var lastPartition: (cells: [Cell], writer: ParquetWriter)?
    private var fileRow: [Cell] = []
    private var closed = false
    private let folder: AtomicFolder

    /// Begins a dataset of `columns` at `root`, partitioned by the columns named in
    /// `partitionBy`, in that folder order. `root` must not exist or be empty, unless `replace`.
    ///
    /// - Throws: ``ParquetError/invalidSchema(_:)`` for a partition column that is not among
    ///   `columns`, named twice, or one that leaves no column for the files;
    ///   ``OutputFileError/exists(path:why:)`` for a `root` with files in it and no `replace`;
    ///   ``OutputFileError`` when the folder cannot be made.
    public init(root: String, columns: [ParquetColumn], partitionBy: [String], rowGroupRows: Int = 131_072,
                maxOpenFiles: Int = 8, replace: Bool = false) throws {
        try ParquetWriter.check(columns)
        guard maxOpenFiles >= 1 else {
            throw ParquetError.invalidSchema("a partitioned dataset needs at least 1 open file, not \(maxOpenFiles)")
        }
        var partitionIndices: [Int] = []
        for name in partitionBy {
            guard let index = columns.firstIndex(where: { $0.name == name }) else {
                throw ParquetError.invalidSchema("no column '\(name)' to partition by (columns: \(columns.map(\.name).joined(separator: ", ")))")
            }
            guard !partitionIndices.contains(index) else {
                throw ParquetError.invalidSchema("the partition column '\(name)' is named twice")
            }
            partitionIndices.append(index)
        }
        let fileIndices = columns.indices.filter { !partitionIndices.contains($0) }
        guard !fileIndices.isEmpty else {
            throw ParquetError.invalidSchema("every column is a partition column; the files need at least one other")
        }
        self.root = root
        self.columns = columns
        self.partitionBy = partitionBy
        self.rowGroupRows = rowGroupRows
        self.maxOpenFiles = maxOpenFiles
        self.partitionIndices = partitionIndices
        self.fileIndices = fileIndices
        fileColumns = fileIndices.map { columns[$0] }
        folder = try AtomicFolder(target: root, replace: replace)
    }

    /// Adds a row: one cell per column of the dataset, partition columns included.
    public func write(_ row: [Cell]) throws {
        guard !closed else { throw ParquetError.closed(path: root) }
        guard row.count == columns.count else {
            throw ParquetError.rowWidth(row: rowCount, expected: columns.count, found: row.count)
        }
        // Check every cell first, so a bad row neither begins a file nor reports a row number
        // counted within one file.
        for (column, cell) in zip(columns, row) {
            _ = try ParquetWriter.convert(cell, for: column, row: rowCount)
        }
        try namingTheDataset {
            let writer = try writer(for: row)
            fileRow.removeAll(keepingCapacity: true)
            for index in fileIndices { fileRow.append(row[index]) }
            try writer.write(fileRow)
        }
        rowCount += 1
    }

    /// Closes every open file and renames the dataset into place. When several files fail, the
    /// first error is thrown after all were tried, and the dataset is discarded.
    public func close() throws {
        guard !closed else { return }
        closed = true
        lastPartition = nil
        var firstError: Error?
        for folder in recency {
            do { try open[folder]?.close() } catch { firstError = firstError ?? error }
        }
        open = [:]
        recency = []
        try namingTheDataset {
            if let firstError {
                folder.discard()
                throw firstError
            }
            try folder.commit()
        }
    }

    /// Runs `body`, reporting a file's failure as the dataset's: the user named `root`, not a
    /// part file in a temporary folder.
    private func namingTheDataset(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as OutputFileError {
            throw error.renamed(to: root, previous: folder.previous)
        }
    }

    private func writer(for row: [Cell]) throws -> ParquetWriter {
        let cells = partitionIndices.map { row[$0] }
        if let lastPartition, lastPartition.cells == cells { return lastPartition.writer }
        var folder = ""
        for (index, cell) in zip(partitionIndices, cells) {
            let column = columns[index]
            let value = try ParquetWriter.convert(cell, for: column, row: rowCount)
            folder += (folder.isEmpty ? "" : "/") + HivePartition.folder(column: column.name, value: value)
        }
        let writer: ParquetWriter
        if let existing = open[folder] {
            writer = existing
            if let position = recency.firstIndex(of: folder) { recency.remove(at: position) }
            recency.append(folder)
        } else {
            writer = try begin(folder)
        }
        lastPartition = (cells, writer)
        return writer
    }

    /// Opens the next part file of a partition, closing the least recently used file if needed.
    private func begin(_ folder: String) throws -> ParquetWriter {
        if open.count >= maxOpenFiles, let oldest = recency.first {
            recency.removeFirst()
            let writer = open.removeValue(forKey: oldest)
            try writer?.close()
        }
        let part = partsBegun[folder, default: 0]
        partsBegun[folder] = part + 1
        try self.folder.makeFolder(folder)
        let name = (folder.isEmpty ? "" : folder + "/") + "part-\(part).parquet"
        let writer = try ParquetWriter(path: self.folder.temporaryPath + "/" + name, columns: fileColumns, rowGroupRows: rowGroupRows)
        files.append(root + "/" + name)
        open[folder] = writer
        recency.append(folder)
        return writer
    }
}
