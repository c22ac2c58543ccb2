import Foundation

/// Reads long-form attributions — CSV or TSV with the header
/// `checkpoint_step,coefficient,component,layer,kind,value` (layer and kind optional), or JSON lines
/// with those keys — into axes and dense matrices.
enum LongFormReader {
    static let columns = ["checkpoint_step", "coefficient", "component", "value"]
    /// The longest JSON line: one record is a hundred bytes or so.
    static let maxLineBytes = 1 << 20

    static func readCSV(path: String, delimiter: UInt8? = nil) throws -> (axes: Axes, matrices: [[Float]]) {
        var table = LongFormTable(file: path)
        var fast: LongFormCSVRow?
        try CSVReader(path: path, delimiter: delimiter).read(required: columns) { row in
            if fast == nil { fast = LongFormCSVRow(header: row.header) }
            if fast?.add(row, to: &table) == true { return }
            let kindText = row.text("kind") ?? ""
            var kind: ComponentKind?
            if !kindText.isEmpty {
                guard let known = ComponentKind(rawValue: kindText) else {
                    throw IngestError(file: path, location: .lineColumn(line: row.line, column: "kind"), expected: "one of \(ComponentKind.allCases.map(\.rawValue).joined(separator: ", "))", found: "'\(kindText)'")
                }
                kind = known
            }
            let layerText = row.text("layer") ?? ""
            let label = row.text("component") ?? ""
            if label.isEmpty {
                throw IngestError(file: path, location: .lineColumn(line: row.line, column: "component"), expected: "a component label", found: "an empty field")
            }
            try table.add(.init(step: try row.int("checkpoint_step"), coefficient: try row.double("coefficient"), label: label,
                                layer: layerText.isEmpty ? nil : try row.int("layer"), kind: kind, value: try row.float("value")),
                          line: row.line)
        }
        return try table.build()
    }

    /// JSON lines: one object per line with `checkpoint_step`, `component`, `value`, and optionally
    /// `coefficient` (0 when absent: a plain attribution), `layer`, `kind`. Blank lines are skipped.
    static func readJSONLines(path: String) throws -> (axes: Axes, matrices: [[Float]]) {
        var lines = JSONLines(path: path)
        // One mutating call per chunk: the lines' state lives in a struct, not in variables a closure
        // captures, whose every access per line was checked for exclusivity at run time.
        try ByteSource.readAhead(path: path) { chunk in try lines.consume(chunk) }
        return try lines.finish()
    }

    /// The JSON-lines reader's state between chunks: the table, the line number, a line cut by a chunk's end.
    private struct JSONLines {
        let path: String
        var table: LongFormTable
        var pending: [UInt8] = []
        var line = 0
        var fast = LongFormJSONLine()

        init(path: String) {
            self.path = path
            table = LongFormTable(file: path)
        }

        mutating func consume(_ chunk: UnsafeRawBufferPointer) throws {
            guard let base = chunk.baseAddress else { return }
            var start = 0
            // Lines that lie whole in the chunk are read where they lie; only one that spans chunks is copied.
            while let found = memchr(base + start, 0x0A, chunk.count - start) {
                let end = UnsafeRawPointer(found) - base
                if pending.isEmpty {
                    try handle(UnsafeRawBufferPointer(rebasing: chunk[start..<end]))
                } else {
                    pending.append(contentsOf: chunk[start..<end])
                    let whole = pending
                    try whole.withUnsafeBytes { try handle($0) }
                    pending.removeAll(keepingCapacity: true)
                }
                start = end + 1
            }
            pending.append(contentsOf: chunk[start...])
            // A line without end (a gzip bomb of one line) must not take all memory.
            if pending.count > maxLineBytes {
                throw IngestError(file: path, location: .line(line + 1), expected: "a line of at most \(maxLineBytes) bytes", found: "a longer one")
            }
        }

        mutating func finish() throws -> (axes: Axes, matrices: [[Float]]) {
            // A file may end its last line without a line break; a stream that does was cut off by its
            // writer (killed mid-write).
            if path == "-" && pending.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
                throw IngestError(file: path, location: .line(line + 1), expected: "a line break ending the last record", found: "end of input (standard input stopped mid-record)")
            }
            if !pending.isEmpty {
                let whole = pending
                try whole.withUnsafeBytes { try handle($0) }
            }
            return try table.build()
        }

        private mutating func handle(_ bytes: UnsafeRawBufferPointer) throws {
            line += 1
            if fast.add(bytes, line: line, to: &table) { return }
            try LongFormReader.addJSONLine(bytes, line: line, path: path, to: &table)
        }
    }

    /// The full reading of one JSON line: its record added to `table`, or its exact error.
    private static func addJSONLine(_ bytes: UnsafeRawBufferPointer, line: Int, path: String, to table: inout LongFormTable) throws {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        if let bad = UTF8Validation.invalidOffset(bytes) {
            throw IngestError(file: path, location: .line(line), expected: "UTF-8 text",
                              found: UTF8Validation.describe(bytes[bad]) + " (byte \(bad + 1) of the line)")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw IngestError(file: path, location: .line(line), expected: "a JSON object", found: "text that is not JSON (\(Axes.describe(error)))")
        }
        guard let object = value.object else {
            throw IngestError(file: path, location: .line(line), expected: "a JSON object", found: value.kindDescription)
        }
        func field(_ key: String) throws -> JSONValue {
            guard let value = object[key] else {
                throw IngestError(file: path, location: .line(line), expected: "the key '\(key)'", found: "no such key")
            }
            return value
        }
        guard let step = try field("checkpoint_step").integer else {
            throw IngestError(file: path, location: .lineColumn(line: line, column: "checkpoint_step"), expected: "an integer", found: try field("checkpoint_step").kindDescription)
        }
        guard let label = try field("component").string, !label.isEmpty else {
            throw IngestError(file: path, location: .lineColumn(line: line, column: "component"), expected: "a component label", found: try field("component").kindDescription)
        }
        let raw = try field("value")
        let number: Double
        switch raw {
        case .number(let v):
            // A JSON number is always decimal text: past float32's range it is an error, not ±Inf.
            guard Float(v).isFinite else {
                throw IngestError(file: path, location: .lineColumn(line: line, column: "value"), expected: "a finite float32 value", found: "\(v) (out of float32 range)")
            }
            number = v
        case .null: number = .nan
        case .string(let text) where CSVReader.number(text) != nil:
            number = CSVReader.number(text) ?? .nan
            if DecimalText.isOutOfFloat32Range(number, text: text) {
                throw IngestError(file: path, location: .lineColumn(line: line, column: "value"), expected: "a finite float32 value", found: "'\(text.prefix(40))' (out of float32 range)")
            }
        case .string(let text) where DecimalText.looksHexadecimal(text):
            throw IngestError(file: path, location: .lineColumn(line: line, column: "value"), expected: "a number", found: "'\(text.prefix(40))' (hexadecimal: only decimal numbers are read)")
        default: throw IngestError(file: path, location: .lineColumn(line: line, column: "value"), expected: "a number", found: raw.kindDescription)
        }
        var coefficient = 0.0
        if let c = object["coefficient"], !c.isNull {
            guard let v = c.number else { throw IngestError(file: path, location: .lineColumn(line: line, column: "coefficient"), expected: "a number", found: c.kindDescription) }
            coefficient = v
        }
        var kind: ComponentKind?
        if let k = object["kind"], !k.isNull {
            guard let text = k.string, let known = ComponentKind(rawValue: text) else {
                throw IngestError(file: path, location: .lineColumn(line: line, column: "kind"), expected: "one of \(ComponentKind.allCases.map(\.rawValue).joined(separator: ", "))", found: k.kindDescription)
            }
            kind = known
        }
        var layer: Int?
        if let l = object["layer"], !l.isNull {
            guard let v = l.integer else { throw IngestError(file: path, location: .lineColumn(line: line, column: "layer"), expected: "an integer", found: l.kindDescription) }
            layer = v
        }
        try table.add(.init(step: step, coefficient: coefficient, label: label, layer: layer, kind: kind, value: Float(number)), line: line)
    }
}
