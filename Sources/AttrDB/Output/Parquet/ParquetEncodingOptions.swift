/// How ``ParquetWriter`` lays out and compresses column chunks. Every caller takes the defaults;
/// tests shrink the bounds to reach page ends, dictionary overflow and wide dictionary indices
/// with few rows.
struct ParquetEncodingOptions {
    /// Encoded values of a data page before it is closed and a new one begun. Around 1 MiB, as
    /// other writers do: small enough for a reader to skip through, large enough that headers cost
    /// nothing.
    var dataPageBytes = 1 << 20
    /// A chunk's dictionary may grow to this many PLAIN-encoded bytes; past it the chunk falls back
    /// to PLAIN values. 1 MiB, as pyarrow's writer: a reader holds the whole dictionary at once.
    var dictionaryPageBytes = 1 << 20
    /// After this many values of a chunk, a dictionary that holds an entry for 90 % of them or more
    /// is dropped: nearly every value is new (float32 attributions), so it would lose to PLAIN, and
    /// until the chunk ends it would hold a hash table for every open file of a partitioned export.
    var dictionaryProbeValues = 1 << 16
    /// Keep a chunk's dictionary even where PLAIN values would be smaller, so tests reach every
    /// index bit width with few rows; off, the writer picks the smaller encoding.
    var alwaysDictionary = false
    var compressionLevel = ZstdCompressor.defaultLevel
}
