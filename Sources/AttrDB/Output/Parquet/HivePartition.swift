/// Hive-style partition folder names, `column=value`, escaped as Hive and Spark escape them, so
/// pyarrow and DuckDB decode the value back.
///
/// ```swift
/// HivePartition.folder(column: "run", value: .string("lr=3e-4/b"))  // "run=lr%3D3e-4%2Fb"
/// HivePartition.folder(column: "run", value: .null)                 // "run=__HIVE_DEFAULT_PARTITION__"
/// ```
enum HivePartition {
    /// The folder value of a null (and, as in Hive and Spark, of an empty string).
    static let nullValue = "__HIVE_DEFAULT_PARTITION__"

    /// `column=value`, both escaped.
    static func folder(column: String, value: ParquetValue) -> String {
        escape(column) + "=" + text(of: value)
    }

    /// The value as it appears in a folder name: numbers in their exact shortest form.
    static func text(of value: ParquetValue) -> String {
        switch value {
        case .int64(let v): return String(v)
        case .double(let v): return Cell.numberText(v)
        case .float(let v): return Cell.numberText(v)
        case .string(let v): return v.isEmpty ? nullValue : escape(v)
        case .null: return nullValue
        }
    }

    /// Percent-encodes (`%2F`) what Hive's `FileUtils.escapePathName` does: ASCII control
    /// characters, DEL, and `"#%'*/:=?\{[]^`. Anything else, spaces and non-ASCII included, stays.
    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: needsEscape) else { return text }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if needsEscape(byte) {
                escaped.append(UInt8(ascii: "%"))
                escaped.append(hexDigits[Int(byte >> 4)])
                escaped.append(hexDigits[Int(byte & 0x0F)])
            } else {
                escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func needsEscape(_ byte: UInt8) -> Bool {
        // Bytes of multi-byte UTF-8 characters are all 0x80 or above, so they are never escaped.
        if byte < 0x20 || byte == 0x7F { return true }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "'"), UInt8(ascii: "*"),
             UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "\\"),
             UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "^"):
            return true
        default:
            return false
        }
    }
}
