import Foundation

/// What `axes.json` says about an attribution array: its checkpoint steps, coefficient grid,
/// components, metric and metadata.
public struct Axes: Equatable, Sendable {
    public var checkpointSteps: [Int]
    public var coefficients: [Double]
    public var components: [Component]
    public var metric: String?
    /// The `metadata` object as JSON text ("{}" when absent): stored as the run's config.
    public var metadataJSON: String
    /// `metadata.model`, else `metadata.model_name`, when a string.
    public var model: String?
    /// `metadata.task`, when a string.
    public var task: String?
    /// `metadata.hook`: where the steering vector was added.
    public var hook: String?

    /// Parses `axes.json` bytes; `file` names the source in errors.
    public static func parse(_ data: Data, file: String) throws -> Axes {
        if let offset = invalidUTF8Offset(data) {
            throw IngestError(file: file, location: .offset(offset), expected: "UTF-8 text", found: "the byte 0x\(String(data[data.startIndex + offset], radix: 16)), which is not valid UTF-8")
        }
        let parsed: JSONValue
        do {
            parsed = try JSONValue.parse(data)
        } catch {
            throw IngestError(file: file, expected: "a JSON object", found: "text that is not JSON (\(describe(error)))")
        }
        guard let root = parsed.object else {
            throw IngestError(file: file, expected: "a JSON object", found: parsed.kindDescription)
        }
        let steps = try array(root, "checkpoint_steps", file: file).enumerated().map { index, value in
            guard let step = value.integer else {
                throw IngestError(file: file, location: .key("checkpoint_steps[\(index)]"), expected: "an integer step", found: value.kindDescription)
            }
            return step
        }
        let coefficients = try array(root, "coefficients", file: file).enumerated().map { index, value in
            guard let number = value.number else {
                throw IngestError(file: file, location: .key("coefficients[\(index)]"), expected: "a number", found: value.kindDescription)
            }
            return number
        }
        let components = try parseComponents(try array(root, "components", file: file), file: file)
        if let metric = root["metric"], metric.string == nil, !metric.isNull {
            throw IngestError(file: file, location: .key("metric"), expected: "a string", found: metric.kindDescription)
        }
        let metadata = root["metadata"]?.object ?? [:]
        let axes = Axes(checkpointSteps: steps, coefficients: coefficients, components: components,
                        metric: root["metric"]?.string, metadataJSON: JSONValue.object(metadata).jsonText,
                        model: metadata["model"]?.string ?? metadata["model_name"]?.string ?? modelName(metadata["model_config"]),
                        task: metadata["task"]?.string, hook: metadata["hook"]?.string)
        try axes.validate(file: file)
        return axes
    }

    /// Checks what the arrays must satisfy whatever their source.
    func validate(file: String) throws {
        if checkpointSteps.isEmpty { throw IngestError(file: file, location: .key("checkpoint_steps"), expected: "at least one step", found: "an empty list") }
        var seenSteps: [Int: Int] = [:]
        for (index, step) in checkpointSteps.enumerated() {
            if let first = seenSteps.updateValue(index, forKey: step) {
                throw IngestError(file: file, location: .key("checkpoint_steps[\(index)]"), expected: "distinct steps", found: "step \(step) again (first at index \(first))")
            }
        }
        try Axes.validateGrid(coefficients: coefficients, components: components, file: file)
    }

    /// Checks the coefficient grid and the components: non-empty, finite, distinct, labels without NUL.
    static func validateGrid(coefficients: [Double], components: [Component], file: String) throws {
        if coefficients.isEmpty { throw IngestError(file: file, location: .key("coefficients"), expected: "at least one coefficient", found: "an empty list") }
        if components.isEmpty { throw IngestError(file: file, location: .key("components"), expected: "at least one component", found: "an empty list") }
        if let bad = coefficients.firstIndex(where: { !$0.isFinite }) {
            throw IngestError(file: file, location: .key("coefficients[\(bad)]"), expected: "a finite coefficient", found: "\(coefficients[bad])")
        }
        // A second equal coefficient could never be selected: `--coefficient` finds the first.
        var seenCoefficients: [Double: Int] = [:]
        for (index, coefficient) in coefficients.enumerated() {
            if let first = seenCoefficients[coefficient] {
                throw IngestError(file: file, location: .key("coefficients[\(index)]"), expected: "distinct coefficients", found: "\(coefficient) again (first at index \(first))")
            }
            seenCoefficients[coefficient] = index
        }
        var seenLabels: [String: Int] = [:]
        for (index, component) in components.enumerated() {
            if let nul = LabelText.withNUL(component.label) {
                throw IngestError(file: file, location: .key("components[\(index)].label"), expected: "a component label without NUL characters", found: nul)
            }
            if let first = seenLabels.updateValue(index, forKey: component.label) {
                throw IngestError(file: file, location: .key("components[\(index)].label"), expected: "distinct component labels", found: "'\(component.label)' again (first at index \(first))")
            }
        }
    }

    /// Components from a JSON list of TransformerLens labels or objects with label, layer, kind and index.
    static func parseComponents(_ list: [JSONValue], file: String) throws -> [Component] {
        let labels = list.compactMap(\.string)
        let fromLabels = labels.count == list.count ? Component.parse(labels: labels) : []
        var parsed: [Component] = []
        for (index, item) in list.enumerated() {
            let place = "components[\(index)]"
            if let label = item.string {
                // A bare list of labels: layer and kind come from the TransformerLens label.
                guard let component = fromLabels[safe: index] ?? nil else {
                    throw IngestError(file: file, location: .key(place), expected: "a TransformerLens label (embed, pos_embed, L{l}H{h}, {l}_mlp_out, L{l}N{n}, bias) or an object with label, layer and kind", found: "'\(label)'")
                }
                parsed.append(component)
                continue
            }
            guard let object = item.object else {
                throw IngestError(file: file, location: .key(place), expected: "an object with label, layer and kind", found: item.kindDescription)
            }
            guard let label = object["label"]?.string, !label.isEmpty else {
                throw IngestError(file: file, location: .key("\(place).label"), expected: "a non-empty string", found: object["label"]?.kindDescription ?? "nothing")
            }
            let guess = Component.parse(label: label)
            var kind = guess?.kind
            if let value = object["kind"], !value.isNull {
                guard let text = value.string, let known = ComponentKind(rawValue: text) else {
                    throw IngestError(file: file, location: .key("\(place).kind"), expected: "one of \(ComponentKind.allCases.map(\.rawValue).joined(separator: ", "))", found: value.kindDescription)
                }
                kind = known
            }
            var layer = guess?.kind == .bias ? nil : guess?.layer
            if let value = object["layer"], !value.isNull {
                guard let number = value.integer else {
                    throw IngestError(file: file, location: .key("\(place).layer"), expected: "an integer layer", found: value.kindDescription)
                }
                layer = number
            }
            guard let kind, let layer else {
                throw IngestError(file: file, location: .key(place), expected: "layer and kind, or a TransformerLens label they can be read from", found: "'\(label)' without them")
            }
            var index = object.keys.contains("index") ? nil : guess?.index
            if let value = object["index"], !value.isNull {
                guard let number = value.integer else {
                    throw IngestError(file: file, location: .key("\(place).index"), expected: "an integer or null", found: value.kindDescription)
                }
                index = number
            }
            parsed.append(Component(label: label, layer: layer, kind: kind, index: index))
        }
        return parsed
    }

    /// A short name from a TransformerLens config when the metadata names no model: `2L-128d-4h`.
    static func modelName(_ config: JSONValue?) -> String? {
        guard let config = config?.object, let layers = config["n_layers"]?.integer, let width = config["d_model"]?.integer else { return nil }
        return "\(layers)L-\(width)d" + (config["n_heads"]?.integer.map { "-\($0)h" } ?? "")
    }

    private static func array(_ root: [String: JSONValue], _ key: String, file: String) throws -> [JSONValue] {
        guard let value = root[key] else {
            throw IngestError(file: file, location: .key(key), expected: "the key '\(key)'", found: "no such key")
        }
        guard let list = value.array else {
            throw IngestError(file: file, location: .key(key), expected: "a list", found: value.kindDescription)
        }
        return list
    }

    static func describe(_ error: Error) -> String {
        if let failure = error as? JSONParser.Failure { return "\(failure.message) at byte \(failure.offset)" }
        let nsError = error as NSError
        return (nsError.userInfo["NSDebugDescription"] as? String) ?? nsError.localizedDescription
    }

    /// The offset of the first byte that starts an invalid UTF-8 sequence, or nil.
    static func invalidUTF8Offset(_ data: Data) -> Int? {
        data.withUnsafeBytes { UTF8Validation.invalidOffset($0) }
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
