import Foundation
import XCTest
@testable import AttrDB

/// A fresh temporary folder for one Parquet test, removed afterwards.
final class ParquetScratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("attrdb-parquet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// What pyarrow and DuckDB read back from Parquet files attrdb wrote, every value as a tag that
/// compares exactly: `i:<integer>`, `d:<16 hex digits of the float64 bits>`, `f:<8 hex digits of
/// the float32 bits>`, `s:<text>`, or nil for null.
enum ParquetReadBack {
    struct Table: Decodable, Equatable {
        let columns: [String]
        let types: [String]
        let nullable: [Bool]
        let rows: [[String?]]

        /// The rows with the columns in the order given, so tables from readers that put the
        /// columns in different orders compare.
        func rows(columnOrder names: [String]) -> [[String?]] {
            let indices = names.map { columns.firstIndex(of: $0) ?? -1 }
            return rows.map { row in indices.map { $0 >= 0 ? row[$0] : "missing column" } }
        }
    }

    struct Statistics: Decodable, Equatable {
        let hasMinMax: Bool
        let min: String?
        let max: String?
        let nullCount: Int?
    }

    struct ColumnChunk: Decodable {
        let numValues: Int
        let compression: String
        let statistics: Statistics?
        /// As pyarrow names them: "PLAIN", "RLE", "RLE_DICTIONARY".
        let encodings: [String]
        let hasDictionaryPage: Bool
    }

    struct RowGroup: Decodable {
        let numRows: Int
        let columns: [ColumnChunk]
    }

    struct SchemaColumn: Decodable, Equatable {
        let name: String
        let physicalType: String
        let logicalType: String
        let maxDefinitionLevel: Int
    }

    struct File: Decodable {
        let createdBy: String
        let formatVersion: String
        let numRows: Int
        let rowGroups: [RowGroup]
        let schema: [SchemaColumn]
        let pyarrow: Table
        let duckdb: Table
        let duckdbTypes: [String]
        let queries: [String]
    }

    struct Dataset: Decodable {
        let pyarrow: Table
        let duckdb: Table
        let duckdbTypes: [String]
        let queries: [String]
    }

    /// Reads one file with pyarrow (data, schema, footer, statistics) and DuckDB (data, types),
    /// and runs `queries` in DuckDB over a view `t` of the file, each giving its first value.
    static func file(_ path: String, queries: [String] = []) throws -> File {
        try runPython(script, ["mode": "file", "path": path, "queries": queries])
    }

    /// Reads a Hive-partitioned folder with `pyarrow.dataset` and DuckDB's `read_parquet`, rows
    /// sorted by `sortBy`.
    static func dataset(_ root: String, sortBy: String, queries: [String] = []) throws -> Dataset {
        try runPython(script, ["mode": "dataset", "path": root, "sort": sortBy, "queries": queries])
    }

    /// Runs a Python reader `script` with `request` as JSON in argv[1] and decodes what it prints;
    /// skips the test when python3, pyarrow or duckdb is missing (the script exits 3 for the latter).
    static func runPython<T: Decodable>(_ script: String, _ request: [String: Any]) throws -> T {
        let requestData = try JSONSerialization.data(withJSONObject: request)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [Python.command, "-c", script, String(decoding: requestData, as: UTF8.self)]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw XCTSkip("python3 is not available: \(error)") }
        // The readers print little on standard error, so reading it second cannot block python.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus == 127 { throw XCTSkip("python3 is not available: \(errorText)") }
        if process.terminationStatus == 3 { throw XCTSkip("pyarrow or duckdb missing (pip install pyarrow duckdb): \(errorText)") }
        guard process.terminationStatus == 0 else {
            XCTFail("python failed: \(errorText)")
            throw CocoaError(.fileReadCorruptFile)
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: data)
    }

    /// The tag a cell reads back as from a column of `type` (after the writer's conversions).
    static func tag(_ cell: Cell, as type: ParquetType) -> String? {
        switch (cell, type) {
        case (.null, _): return nil
        case (.int(let v), .int64): return "i:\(v)"
        case (.int(let v), .double): return doubleTag(Double(v))
        case (.int(let v), .float): return floatTag(Float(v))
        case (.double(let v), _): return doubleTag(v)
        case (.float(let v), .double): return doubleTag(Double(v))
        case (.float(let v), _): return floatTag(v)
        case (.text(let v), _): return "s:" + v
        case (.int(let v), .string): return "unexpected integer \(v) in a string column"
        }
    }

    static func doubleTag(_ value: Double) -> String { "d:" + hex(value.bitPattern, digits: 16) }
    static func floatTag(_ value: Float) -> String { "f:" + hex(UInt64(value.bitPattern), digits: 8) }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The tags of `rows` written to `columns`.
    static func tags(_ rows: [[Cell]], _ columns: [ParquetColumn]) -> [[String?]] {
        rows.map { row in zip(row, columns).map { tag($0, as: $1.type) } }
    }

    private static let script = #"""
import json, struct, sys
try:
    import numpy as np
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq
    import duckdb
except ImportError as error:
    sys.stderr.write(str(error))
    sys.exit(3)

request = json.loads(sys.argv[1])

def tags(array):
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks else pa.array([], type=array.type)
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    kind = array.type
    nulls = array.is_null().to_pylist()
    if pa.types.is_integer(kind):
        return [None if v is None else "i:%d" % v for v in array.to_pylist()]
    if pa.types.is_float64(kind) or pa.types.is_float32(kind):
        wide = pa.types.is_float64(kind)
        raw = array.fill_null(pa.scalar(0, type=kind)).to_numpy(zero_copy_only=False)
        bits = raw.view(np.uint64 if wide else np.uint32)
        prefix, width = ("d:", "016x") if wide else ("f:", "08x")
        return [None if n else prefix + format(int(b), width) for n, b in zip(nulls, bits)]
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return [None if v is None else "s:" + v for v in array.to_pylist()]
    raise SystemExit("unexpected Arrow type %s" % kind)

def table_report(table):
    columns = [tags(table.column(i)) for i in range(table.num_columns)]
    return {
        "columns": table.column_names,
        "types": [str(field.type) for field in table.schema],
        "nullable": [field.nullable for field in table.schema],
        "rows": [list(row) for row in zip(*columns)],
    }

def bound_tag(value, physical):
    if value is None:
        return None
    if physical == "INT64":
        return "i:%d" % value
    if physical == "DOUBLE":
        return "d:" + format(struct.unpack("<Q", struct.pack("<d", value))[0], "016x")
    if physical == "FLOAT":
        return "f:" + format(struct.unpack("<I", struct.pack("<f", value))[0], "08x")
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    return "s:" + value

def statistics_report(statistics):
    if statistics is None:
        return None
    physical = statistics.physical_type
    return {
        "has_min_max": statistics.has_min_max,
        "min": bound_tag(statistics.min, physical) if statistics.has_min_max else None,
        "max": bound_tag(statistics.max, physical) if statistics.has_min_max else None,
        "null_count": statistics.null_count if statistics.has_null_count else None,
    }

def quoted(text):
    return "'" + text.replace("'", "''") + "'"

def duck_table(connection, query):
    relation = connection.sql(query)
    return relation.to_arrow_table() if hasattr(relation, "to_arrow_table") else relation.arrow()

def run_queries(connection):
    answers = []
    for query in request.get("queries", []):
        row = connection.execute(query).fetchone()
        answers.append(None if row is None or row[0] is None else str(row[0]))
    return answers

path = request["path"]
connection = duckdb.connect()
report = {}
if request["mode"] == "file":
    parquet = pq.ParquetFile(path)
    metadata = parquet.metadata
    report["created_by"] = metadata.created_by
    report["format_version"] = metadata.format_version
    report["num_rows"] = metadata.num_rows
    report["row_groups"] = []
    for i in range(metadata.num_row_groups):
        group = metadata.row_group(i)
        chunks = []
        for j in range(group.num_columns):
            chunk = group.column(j)
            chunks.append({
                "num_values": chunk.num_values,
                "compression": chunk.compression,
                "statistics": statistics_report(chunk.statistics),
                "encodings": list(chunk.encodings),
                "has_dictionary_page": chunk.has_dictionary_page,
            })
        report["row_groups"].append({"num_rows": group.num_rows, "columns": chunks})
    report["schema"] = [{
        "name": column.name,
        "physical_type": column.physical_type,
        "logical_type": str(column.logical_type),
        "max_definition_level": column.max_definition_level,
    } for column in parquet.schema]
    report["pyarrow"] = table_report(pq.read_table(path))
    source = "read_parquet(%s)" % quoted(path)
    order = ""
else:
    dataset = ds.dataset(path, format="parquet", partitioning="hive")
    report["pyarrow"] = table_report(dataset.to_table().sort_by(request["sort"]))
    source = "read_parquet(%s, hive_partitioning=true)" % quoted(path + "/**/*.parquet")
    order = ' ORDER BY "%s"' % request["sort"]
connection.execute("CREATE VIEW t AS SELECT * FROM " + source)
report["duckdb"] = table_report(duck_table(connection, "SELECT * FROM t" + order))
report["duckdb_types"] = [row[1] for row in connection.execute("DESCRIBE SELECT * FROM t").fetchall()]
report["queries"] = run_queries(connection)
print(json.dumps(report))
"""#
}

/// SplitMix64: a small deterministic generator, so randomized Parquet tests cover the same values
/// every run.
struct ParquetTestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
