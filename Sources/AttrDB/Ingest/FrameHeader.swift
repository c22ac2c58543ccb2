import Foundation

/// The header frame (`H`) of a frame stream: which run, scan and metric the stream writes, its
/// coefficient grid and components, the run's metadata and how the stream treats stored data.
public struct FrameHeader: Sendable {
    public var run: String
    public var metric: String
    public var scan: String
    public var coefficients: [Double]
    public var components: [Component]
    public var model: String?
    public var task: String?
    /// The `config` object as JSON text; nil when absent or null.
    public var config: String?
    public var tags: [String: String]
    public var options: IngestOptions

    static let keys: Set<String> = ["run", "metric", "scan", "coefficients", "components", "model", "task", "config", "tags",
                                    "replace", "allow_nonfinite", "precision"]

    /// The `C` payload's exact size: the step and the (coefficient, component) float32 matrix.
    var checkpointLength: Int { 8 + 4 * coefficients.count * components.count }

    /// Decodes the header frame's JSON payload; errors name the frame and what was wrong.
    static func decode(_ frame: Frame, file: String) throws -> FrameHeader {
        let root = try FramePayload.object(frame, file: file)
        func fail(_ key: String, _ expected: String, _ found: String) -> IngestError {
            FramePayload.error(frame, file: file, key: key, expected: expected, found: found)
        }
        if let unknown = root.keys.sorted().first(where: { !keys.contains($0) }) {
            throw fail(unknown, "only the keys \(keys.sorted().joined(separator: ", "))", "the key '\(unknown)'")
        }
        func string(_ key: String, required: Bool) throws -> String? {
            guard let value = root[key], !value.isNull else {
                if required { throw fail(key, "the key '\(key)' (a non-empty string)", "no such key") }
                return nil
            }
            guard let text = value.string, !text.isEmpty else { throw fail(key, "a non-empty string", value.kindDescription) }
            if let nul = LabelText.withNUL(text) { throw fail(key, "a name without NUL characters", nul) }
            return text
        }
        func flag(_ key: String) throws -> Bool {
            guard let value = root[key], !value.isNull else { return false }
            guard case .bool(let on) = value else { throw fail(key, "true or false", value.kindDescription) }
            return on
        }
        func list(_ key: String) throws -> [JSONValue] {
            guard let value = root[key] else { throw fail(key, "the key '\(key)' (a list)", "no such key") }
            guard let items = value.array else { throw fail(key, "a list", value.kindDescription) }
            return items
        }
        let coefficients = try list("coefficients").enumerated().map { index, value in
            guard let number = value.number else { throw fail("coefficients[\(index)]", "a number", value.kindDescription) }
            return number
        }
        let componentList = try list("components")
        let components: [Component]
        do {
            components = try Axes.parseComponents(componentList, file: file)
            try Axes.validateGrid(coefficients: coefficients, components: components, file: file)
        } catch let error as IngestError {
            throw FramePayload.reframe(error, frame.location)
        }
        var config: String?
        if let value = root["config"], !value.isNull {
            guard value.object != nil else { throw fail("config", "an object or null", value.kindDescription) }
            config = value.jsonText
        }
        var tags: [String: String] = [:]
        if let value = root["tags"], !value.isNull {
            guard let object = value.object else { throw fail("tags", "an object of strings or null", value.kindDescription) }
            for (key, tag) in object {
                guard let text = tag.string else { throw fail("tags.\(key)", "a string", tag.kindDescription) }
                tags[key] = text
            }
        }
        var precision: Precision?
        if let value = root["precision"], !value.isNull {
            guard let text = value.string, let named = Precision(rawValue: text) else {
                throw fail("precision", "\"f32\", \"f16\", \"bf16\" or null", value.string.map { "'\($0)'" } ?? value.kindDescription)
            }
            precision = named
        }
        let header = FrameHeader(run: try string("run", required: true)!, metric: try string("metric", required: true)!,
                                 scan: try string("scan", required: false) ?? Scan.defaultName,
                                 coefficients: coefficients, components: components,
                                 model: try string("model", required: false), task: try string("task", required: false),
                                 config: config, tags: tags,
                                 options: IngestOptions(replace: try flag("replace"), allowNonFinite: try flag("allow_nonfinite"), precision: precision))
        guard header.checkpointLength <= FrameReader.maxCheckpointPayload else {
            throw fail("components", "at most \(FrameReader.maxCheckpointPayload) bytes per checkpoint frame",
                       "\(coefficients.count) coefficients × \(components.count) components")
        }
        return header
    }
}
