import CSQLite

/// The SQL functions attrdb registers on every connection, for reading packed float32 vectors
/// (`attribution.matrix`, see schema/README.md) from plain SQL. Indices count from 0.
///
/// | function | returns |
/// |---|---|
/// | `f32_len(blob)` | how many float32 values the blob holds |
/// | `f32_at(blob, i)` | value `i`, or NULL past the end |
/// | `f32_sum(blob [, start, count])` | sum of the values (in double precision) |
/// | `f32_sum_abs(blob [, start, count])` | sum of absolute values |
/// | `f32_sum_sq(blob [, start, count])` | sum of squares |
/// | `f32_max_abs(blob [, start, count])` | largest absolute value |
/// | `f32_slice(blob, start, count)` | the sub-vector, as a blob |
/// | `f32_json(blob [, start, count])` | the values as a JSON array |
/// | `f16_at(blob, i)`, `bf16_at(blob, i)` | value `i` of a run stored `--precision f16` / `bf16`, or NULL past the end |
/// | `xxh64(blob)` | the blob's xxHash64 (seed 0) as a signed 64-bit INTEGER: `attribution.checksum` |
/// | `xxh64_checked(blob, checksum, bytes)` | the blob itself when it is `bytes` long and hashes to `checksum`; an error otherwise |
///
/// ```sql
/// SELECT c.label, f32_sum_abs(a.matrix, c.position * a.n_coefficients, a.n_coefficients)
/// FROM attribution a JOIN scan s USING (scan_id) JOIN component c ON c.run_id = s.run_id;
/// ```
enum SQLFunctions {
    static func register(on connection: Connection) throws {
        let flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS
        func add(_ name: String, _ arity: Int32, _ function: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void) throws {
            try connection.check(sqlite3_create_function_v2(connection.handle, name, arity, flags, nil, function, nil, nil, nil))
        }
        try add("f32_len", 1, f32Len)
        try add("f32_at", 2, f32At)
        for arity: Int32 in [1, 3] {
            try add("f32_sum", arity, f32Sum)
            try add("f32_sum_abs", arity, f32SumAbs)
            try add("f32_sum_sq", arity, f32SumSq)
            try add("f32_max_abs", arity, f32MaxAbs)
            try add("f32_json", arity, f32JSON)
        }
        try add("f32_slice", 3, f32Slice)
        // The 16-bit matrices of runs stored with `--precision f16|bf16` (the attribution_value view picks by run.precision).
        try add("f16_at", 2, f16At)
        try add("bf16_at", 2, bf16At)
        // Migration 0002 computes the checksums of an older store's matrices with it, and anyone can
        // verify one in plain SQL: `SELECT attribution_id FROM attribution WHERE xxh64(matrix) <> checksum`.
        try add("xxh64", 1, xxh64)
        // `merge` copies matrices through it, so each is hashed from the bytes it copies: one read of the source, not two.
        try add("xxh64_checked", 3, xxh64Checked)
    }

    /// The start of the error `xxh64_checked` reports, which a caller recognises to name the damaged row itself.
    static let checksumMismatch = "xxh64_checked: the blob does not match its checksum or length"
}

/// The float32 vector in argument 0, cut to the optional (start, count) in arguments 1 and 2.
/// Reports an error on the context and returns nil when the arguments do not describe one.
private func vectorArgument(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) -> UnsafeRawBufferPointer? {
    guard let argv else { return nil }
    let blob = argv[0]
    if sqlite3_value_type(blob) == SQLITE_NULL { sqlite3_result_null(context); return nil }
    let count = Int(sqlite3_value_bytes(blob))
    guard count % 4 == 0 else {
        sqlite3_result_error(context, "f32 functions take a blob of float32 values (a multiple of 4 bytes), got \(count) bytes", -1)
        return nil
    }
    let whole = UnsafeRawBufferPointer(start: sqlite3_value_blob(blob), count: count)
    guard argc == 3 else { return whole }
    let start = Int(sqlite3_value_int64(argv[1]))
    let length = Int(sqlite3_value_int64(argv[2]))
    guard start >= 0, length >= 0, start + length <= count / 4 else {
        sqlite3_result_error(context, "f32 range [\(start), \(start + length)) is outside a vector of \(count / 4) values", -1)
        return nil
    }
    return UnsafeRawBufferPointer(rebasing: whole[(start * 4)..<((start + length) * 4)])
}

@inline(__always)
private func float(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> Float {
    Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
}

private func reduce(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?, _ step: (Double, Double) -> Double) {
    guard let bytes = vectorArgument(context, argc, argv) else { return }
    var total = 0.0
    for i in 0..<(bytes.count / 4) { total = step(total, Double(float(bytes, i))) }
    sqlite3_result_double(context, total)
}

private func f32Len(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let bytes = vectorArgument(context, argc, argv) else { return }
    sqlite3_result_int64(context, Int64(bytes.count / 4))
}

private func f32At(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let bytes = vectorArgument(context, 1, argv), let argv else { return }
    let index = Int(sqlite3_value_int64(argv[1]))
    guard index >= 0, index < bytes.count / 4 else { sqlite3_result_null(context); return }
    sqlite3_result_double(context, Double(float(bytes, index)))
}

private func f16At(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    halfAt(context, argv, decode: Float16Bits.decode)
}

private func bf16At(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    halfAt(context, argv, decode: BFloat16Bits.decode)
}

/// Value `i` (argument 1) of the 16-bit vector in argument 0, decoded; NULL past the end or for a NULL blob.
private func halfAt(_ context: OpaquePointer?, _ argv: UnsafeMutablePointer<OpaquePointer?>?, decode: (UInt16) -> Float) {
    guard let argv else { return }
    let blob = argv[0]
    if sqlite3_value_type(blob) == SQLITE_NULL { sqlite3_result_null(context); return }
    let count = Int(sqlite3_value_bytes(blob))
    guard count % 2 == 0 else {
        sqlite3_result_error(context, "f16_at and bf16_at take a blob of 16-bit values (a multiple of 2 bytes), got \(count) bytes", -1)
        return
    }
    let index = Int(sqlite3_value_int64(argv[1]))
    guard index >= 0, index < count / 2, let base = sqlite3_value_blob(blob) else { sqlite3_result_null(context); return }
    let bits = UInt16(littleEndian: UnsafeRawPointer(base).loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
    sqlite3_result_double(context, Double(decode(bits)))
}

private func f32Sum(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    reduce(context, argc, argv) { $0 + $1 }
}

private func f32SumAbs(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    reduce(context, argc, argv) { $0 + abs($1) }
}

private func f32SumSq(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    reduce(context, argc, argv) { $0 + $1 * $1 }
}

private func f32MaxAbs(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    reduce(context, argc, argv) { max($0, abs($1)) }
}

private func f32Slice(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let bytes = vectorArgument(context, argc, argv) else { return }
    sqlite3_result_blob64(context, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), sqlite3_uint64(bytes.count), attrdb_sqlite_transient())
}

private func f32JSON(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let bytes = vectorArgument(context, argc, argv) else { return }
    var text = "["
    for i in 0..<(bytes.count / 4) {
        if i > 0 { text += "," }
        let value = float(bytes, i)
        text += value.isFinite ? "\(value)" : "null"
    }
    text += "]"
    sqlite3_result_text(context, text, -1, attrdb_sqlite_transient())
}

private func xxh64(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let argv else { return }
    let value = argv[0]
    guard sqlite3_value_type(value) != SQLITE_NULL else { sqlite3_result_null(context); return }
    // sqlite3_value_blob before sqlite3_value_bytes: the documented order that leaves the pointer valid.
    let start = sqlite3_value_blob(value)
    let bytes = UnsafeRawBufferPointer(start: start, count: Int(sqlite3_value_bytes(value)))
    sqlite3_result_int64(context, XXHash64.storedValue(bytes))
}

/// The blob in argument 0 unchanged, after checking that it is argument 2 bytes long and hashes to
/// argument 1; otherwise an error starting with ``SQLFunctions/checksumMismatch``, which fails the
/// statement (and so the copy it is part of) before the row is written.
private func xxh64Checked(_ context: OpaquePointer?, _ argc: Int32, _ argv: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let argv else { return }
    let value = argv[0]
    let start = sqlite3_value_blob(value)
    let count = Int(sqlite3_value_bytes(value))
    let matches = sqlite3_value_type(value) == SQLITE_BLOB && count == Int(sqlite3_value_int64(argv[2]))
        && XXHash64.storedValue(UnsafeRawBufferPointer(start: start, count: count)) == sqlite3_value_int64(argv[1])
    guard matches else {
        sqlite3_result_error(context, SQLFunctions.checksumMismatch, -1)
        return
    }
    sqlite3_result_value(context, value)
}
