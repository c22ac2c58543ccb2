import Foundation

/// A parsed JSON value that keeps booleans, numbers and null apart (Foundation's JSONSerialization
/// blurs booleans and numbers into NSNumber on Linux).
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses JSON text; an error names the byte offset and what was wrong there.
    public static func parse(_ data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { try JSONParser.parse($0) }
    }

    public var string: String? { if case .string(let v) = self { return v }; return nil }
    public var number: Double? { if case .number(let v) = self { return v }; return nil }
    public var array: [JSONValue]? { if case .array(let v) = self { return v }; return nil }
    public var object: [String: JSONValue]? { if case .object(let v) = self { return v }; return nil }
    public var isNull: Bool { self == .null }

    /// The value as an exact integer, when it is one.
    public var integer: Int? {
        guard let v = number, v.rounded() == v, abs(v) < 9e15 else { return nil }
        return Int(v)
    }

    /// A short description for error messages: "the string 'x'", "a list", …
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool(let v): return "the boolean \(v)"
        case .number(let v): return "the number \(v)"
        case .string(let v): return "the string '\(v.prefix(40))'"
        case .array: return "a list"
        case .object: return "an object"
        }
    }

    /// Compact JSON text with sorted keys.
    public var jsonText: String {
        switch self {
        case .null: return "null"
        case .bool(let v): return v ? "true" : "false"
        case .number(let v):
            if v.rounded() == v && abs(v) < 1e15 { return String(Int64(v)) }
            return v.isFinite ? "\(v)" : "null"
        case .string(let v): return Escape.json(v)
        case .array(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .object(let members):
            return "{" + members.sorted { $0.key < $1.key }.map { Escape.json($0.key) + ":" + $0.value.jsonText }.joined(separator: ",") + "}"
        }
    }
}
