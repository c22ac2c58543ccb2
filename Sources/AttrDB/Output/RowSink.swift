/// Where exported rows go: a text table, a Parquet file, a partitioned Parquet dataset.
public protocol RowSink: AnyObject {
    func write(_ row: [Cell]) throws
    /// Ends the output: footers, flushes.
    func finish() throws
}

extension TableWriter: RowSink {}

extension ParquetWriter: RowSink {
    public func finish() throws { try close() }
}

extension PartitionedParquetWriter: RowSink {
    public func finish() throws { try close() }
}
