import Foundation
import XCTest
@testable import AttrDB

/// Checks large Parquet files attrdb wrote against the columns they should hold, inside python
/// (numpy comparisons, not a JSON dump of every row): pyarrow and DuckDB must each read every
/// column back exactly (floating point bit for bit), and the footer tells which encodings each
/// column chunk used.
enum ParquetBulkCheck {
    /// The values a column should read back as; no nulls.
    enum Expected {
        case int64([Int64])
        case double([Double])
        case float([Float])
        case string([String])
    }

    struct Column: Decodable {
        let name: String
        let pyarrowEqual: Bool
        let duckdbEqual: Bool
        /// Per row group, as pyarrow names them: "PLAIN", "RLE", "RLE_DICTIONARY".
        let encodings: [[String]]
        let dictionaryPages: [Bool]
        let compression: [String]
    }

    /// Writes `columns` to `path` through a `ParquetWriter` with `options`, then checks it.
    static func writeAndCheck(_ columns: [(name: String, values: Expected)], path: String, rowGroupRows: Int = 131_072,
                              options: ParquetEncodingOptions = ParquetEncodingOptions()) throws -> [Column] {
        let rowCount = columns.first.map { count($0.values) } ?? 0
        let writer = try ParquetWriter(path: path, columns: columns.map { ParquetColumn($0.name, type($0.values)) },
                                       rowGroupRows: rowGroupRows, options: options)
        var row: [Cell] = []
        for index in 0..<rowCount {
            row.removeAll(keepingCapacity: true)
            for column in columns { row.append(cell(column.values, index)) }
            try writer.write(row)
        }
        try writer.close()
        var request: [[String: String]] = []
        for (number, column) in columns.enumerated() {
            let expectedPath = path + ".expected\(number)"
            try data(column.values).write(to: URL(fileURLWithPath: expectedPath))
            request.append(["name": column.name, "type": type(column.values).rawValue, "expected": expectedPath])
        }
        return try ParquetReadBack.runPython(script, ["path": path, "columns": request])
    }

    private static func count(_ values: Expected) -> Int {
        switch values {
        case .int64(let v): return v.count
        case .double(let v): return v.count
        case .float(let v): return v.count
        case .string(let v): return v.count
        }
    }

    private static func type(_ values: Expected) -> ParquetType {
        switch values {
        case .int64: return .int64
        case .double: return .double
        case .float: return .float
        case .string: return .string
        }
    }

    private static func cell(_ values: Expected, _ index: Int) -> Cell {
        switch values {
        case .int64(let v): return .int(Int(v[index]))
        case .double(let v): return .double(v[index])
        case .float(let v): return .float(v[index])
        case .string(let v): return .text(v[index])
        }
    }

    /// Raw little-endian numbers, or a JSON array of the strings.
    private static func data(_ values: Expected) throws -> Data {
        switch values {
        case .int64(let v): return v.withUnsafeBytes { Data($0) }
        case .double(let v): return v.withUnsafeBytes { Data($0) }
        case .float(let v): return v.withUnsafeBytes { Data($0) }
        case .string(let v): return try JSONSerialization.data(withJSONObject: v)
        }
    }

    /// The size of the file pyarrow writes with its defaults (dictionary encoding, Snappy) for
    /// the table it reads from `path`.
    static func pyarrowDefaultSize(of path: String) throws -> Int {
        let copy = path + ".pyarrow"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [Python.command, "-c", "import sys, pyarrow.parquet as pq; pq.write_table(pq.read_table(sys.argv[1]), sys.argv[2])",
                             path, copy]
        do { try process.run() } catch { throw XCTSkip("python3 is not available: \(error)") }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw XCTSkip("pyarrow could not rewrite \(path)") }
        let size = try FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int ?? 0
        try FileManager.default.removeItem(atPath: copy)
        return size
    }

    private static let script = #"""
import json, sys
try:
    import numpy as np
    import pyarrow.parquet as pq
    import duckdb
except ImportError as error:
    sys.stderr.write(str(error))
    sys.exit(3)

request = json.loads(sys.argv[1])
path = request["path"]
table = pq.read_table(path)
metadata = pq.ParquetFile(path).metadata
duck = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [path]).fetchnumpy()
numpy_types = {"int64": "<i8", "double": "<f8", "float": "<f4"}
bit_types = {"int64": np.int64, "double": np.uint64, "float": np.uint32}

def same(found, kind, expected):
    if kind == "string":
        return [str(v) for v in found] == expected
    found = np.asarray(found, dtype=numpy_types[kind])
    return found.shape == expected.shape and bool(np.array_equal(found.view(bit_types[kind]), expected.view(bit_types[kind])))

report = []
for number, column in enumerate(request["columns"]):
    kind = column["type"]
    if kind == "string":
        expected = json.load(open(column["expected"], encoding="utf-8"))
        from_arrow = table.column(number).to_pylist()
    else:
        expected = np.fromfile(column["expected"], dtype=numpy_types[kind])
        from_arrow = table.column(number).to_numpy()
    groups = [metadata.row_group(i).column(number) for i in range(metadata.num_row_groups)]
    report.append({
        "name": column["name"],
        "pyarrow_equal": same(from_arrow, kind, expected),
        "duckdb_equal": same(duck[column["name"]], kind, expected),
        "encodings": [list(chunk.encodings) for chunk in groups],
        "dictionary_pages": [chunk.has_dictionary_page for chunk in groups],
        "compression": [chunk.compression for chunk in groups],
    })
print(json.dumps(report))
"""#
}
