import Foundation
@testable import AttrDB

/// A store file's logical content, read through the library with the default VFS: every table's
/// rows in a canonical order (runs, checkpoints, components, scans, every matrix byte for byte,
/// statistics), the schema and its version. Two states are equal when a reader cannot tell them
/// apart; where they live in the file's pages does not matter.
enum StoreState: Equatable, CustomStringConvertible {
    /// No file.
    case absent
    /// A file with no schema at all: an empty store not yet initialised.
    case empty
    /// A store at schema `version`, with its content.
    case store(version: Int, content: [String])

    /// Columns whose value is the time of writing, not content: a replayed ingest differs there.
    static let timeColumns: Set<String> = ["created_at"]

    /// Reads the state at `path`. Opening plays back a hot journal, as any reader would. A store
    /// at the newest version must also pass `attrdb check`; its problems are thrown.
    static func read(path: String) throws -> StoreState {
        guard FileManager.default.fileExists(atPath: path) else { return .absent }
        let version: Int
        let content: [String]
        do {
            let connection = try Connection(path: path, access: .readWrite(create: false))
            version = Int(try connection.scalar("PRAGMA user_version")?.int64 ?? 0)
            let integrity = try connection.scalar("PRAGMA integrity_check")?.string
            guard integrity == "ok" else { throw StateError.integrity(integrity ?? "no result") }
            content = try dump(connection)
        }
        if version == 0 && content.isEmpty { return .empty }
        if version == Migration.latestVersion {
            let store = try Store(path: path, access: .read)
            let check = try StoreCheck.run(store)
            guard check.problems == 0 else {
                throw StateError.check(check.table.rows.filter { $0[1] == .text("problem") }.map { "\($0)" })
            }
        }
        return .store(version: version, content: content)
    }

    /// Every schema entry and every table row as text, tables by name, rows by all their columns.
    private static func dump(_ connection: Connection) throws -> [String] {
        var lines: [String] = []
        var tables: [String] = []
        try connection.forEachRow("SELECT type, name, tbl_name, sql, type = 'table' FROM sqlite_schema ORDER BY name") { row in
            lines.append("schema \(row.string(at: 0)) \(row.string(at: 1)) on \(row.string(at: 2)): \(row.optionalString(at: 3) ?? "")")
            if row.int(at: 4) == 1 && !row.string(at: 1).hasPrefix("sqlite_") { tables.append(row.string(at: 1)) }
        }
        for table in tables {
            let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let statement = try connection.prepare("SELECT * FROM \(quoted)")
            let columns = (0..<statement.columnCount).map(statement.columnName)
            var rows: [String] = []
            while try statement.step() {
                let cells = columns.indices.map { index -> String in
                    if timeColumns.contains(columns[index]) { return "(time)" }
                    return describe(statement.value(at: Int32(index)))
                }
                rows.append("\(table): " + cells.joined(separator: " | "))
            }
            lines.append("table \(table) (\(columns.joined(separator: ", "))): \(rows.count) rows")
            lines += rows.sorted()
        }
        return lines
    }

    private static func describe(_ value: SQLValue) -> String {
        switch value {
        case .integer(let v): return "i\(v)"
        case .real(let v): return "r\(v.bitPattern)"
        case .text(let v): return "t'\(v)'"
        case .blob(let v): return "x'" + hex(v) + "'"
        case .null: return "null"
        }
    }

    /// Hexadecimal digits without String(format:), which costs more than the rest of a trial.
    private static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes { out += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }

    var description: String {
        switch self {
        case .absent: return "absent"
        case .empty: return "empty"
        case .store(let version, let content): return "store v\(version), \(content.count) lines"
        }
    }

    /// A store that fails its checks.
    enum StateError: Error, CustomStringConvertible {
        case integrity(String)
        case check([String])

        var description: String {
            switch self {
            case .integrity(let detail): return "integrity_check: \(detail)"
            case .check(let problems): return "attrdb check: " + problems.joined(separator: "; ")
            }
        }
    }
}
