import Foundation

/// A run's config (JSON text) as `key`/`value` pairs a person reads, as `attrdb show` prints them:
/// nested objects flattened with dots (`training.lr`), lists of plain values kept as compact JSON
/// (`[7,30,59]`), lists that hold objects or lists numbered (`layers.0.name`), strings unquoted.
enum FlatConfig {
    static func fields(_ json: String, prefix: String) -> [(key: String, value: String)] {
        guard let value = try? JSONValue.parse(Data(json.utf8)) else { return [(prefix, json)] }
        var fields: [(key: String, value: String)] = []
        flatten(value, key: prefix, into: &fields)
        return fields
    }

    private static func flatten(_ value: JSONValue, key: String, into fields: inout [(key: String, value: String)]) {
        switch value {
        case .object(let members) where !members.isEmpty:
            for (name, member) in members.sorted(by: { $0.key < $1.key }) { flatten(member, key: key + "." + name, into: &fields) }
        case .array(let items) where items.contains { $0.object != nil || $0.array != nil }:
            for (index, item) in items.enumerated() { flatten(item, key: key + "." + String(index), into: &fields) }
        case .string(let text): fields.append((key, text))
        default: fields.append((key, value.jsonText))
        }
    }
}
