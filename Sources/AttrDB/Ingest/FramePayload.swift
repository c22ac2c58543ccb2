import Foundation

/// Decodes the JSON payloads of a frame stream's `S`, `R`, `W`, `K`, `G` and `E` frames (the header is
/// ``FrameHeader``) and a `C` frame's step; every error names the frame, its kind and offset.
enum FramePayload {
    /// The payload parsed as a JSON object.
    static func object(_ frame: Frame, file: String) throws -> [String: JSONValue] {
        if let bad = UTF8Validation.invalidOffset(frame.payload) {
            throw IngestError(file: file, location: frame.location, expected: "UTF-8 JSON",
                              found: "the byte 0x\(String(format: "%02x", frame.payload[bad])) at byte \(frame.payloadOffset + bad), which is not valid UTF-8")
        }
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(frame.payload)
        } catch let failure as JSONParser.Failure {
            throw IngestError(file: file, location: frame.location, expected: "a JSON object",
                              found: "text that is not JSON (\(failure.message) at byte \(frame.payloadOffset + failure.offset))")
        }
        guard let root = parsed.object else {
            throw IngestError(file: file, location: frame.location, expected: "a JSON object", found: parsed.kindDescription)
        }
        return root
    }

    /// An error about `key` of the frame's JSON.
    static func error(_ frame: Frame, file: String, key: String, expected: String, found: String) -> IngestError {
        IngestError(file: file, location: frame.location, expected: expected, found: found).at(key: key)
    }

    /// An error a shared parser (``Axes``) raised, moved to the frame at `location`: its location becomes part of the message.
    static func reframe(_ error: IngestError, _ location: IngestError.Location) -> IngestError {
        var moved = error
        moved.location = location
        if let location = error.location { moved.message = "\(location): \(error.message)" }
        return moved
    }

    /// The checkpoint step a `C` frame starts with.
    static func step(_ frame: Frame) -> Int {
        Int(Int64(littleEndian: frame.payload.loadUnaligned(as: Int64.self)))
    }

    /// An `S` frame: `{"step": int, "values": {name: number or null}}`.
    static func statistics(_ frame: Frame, file: String) throws -> [CheckpointStat] {
        let root = try object(frame, file: file)
        try onlyKeys(["step", "values"], root, frame, file: file)
        let step = try integer("step", root, frame, file: file)
        guard let values = root["values"]?.object else {
            throw error(frame, file: file, key: "values", expected: "an object of statistic names and numbers", found: root["values"]?.kindDescription ?? "no such key")
        }
        return try values.sorted { $0.key < $1.key }.map { name, value in
            if name.isEmpty || LabelText.withNUL(name) != nil {
                throw error(frame, file: file, key: "values", expected: "non-empty statistic names without NUL characters", found: "'\(name)'")
            }
            guard value.isNull || value.number != nil else {
                throw error(frame, file: file, key: "values.\(name)", expected: "a number or null", found: value.kindDescription)
            }
            return CheckpointStat(step: step, name: name, value: value.number)
        }
    }

    /// An `R` frame: `{"step": int, "norms": [{"layer": int, "hook": "resid_pre"|"resid_post", "norm": number}, ...]}`.
    static func residNorms(_ frame: Frame, file: String) throws -> [ResidNorm] {
        let root = try object(frame, file: file)
        try onlyKeys(["step", "norms"], root, frame, file: file)
        let step = try integer("step", root, frame, file: file)
        return try list("norms", root, frame, file: file).enumerated().map { index, item in
            let place = "norms[\(index)]"
            guard let norm = item.object else { throw error(frame, file: file, key: place, expected: "an object with layer, hook and norm", found: item.kindDescription) }
            try onlyKeys(["layer", "hook", "norm"], norm, frame, file: file, in: place)
            let layer = try integer("layer", norm, frame, file: file, in: place)
            guard let hook = norm["hook"]?.string, hook == "resid_pre" || hook == "resid_post" else {
                throw error(frame, file: file, key: "\(place).hook", expected: "'resid_pre' or 'resid_post'", found: norm["hook"]?.kindDescription ?? "no such key")
            }
            guard let value = norm["norm"]?.number else {
                throw error(frame, file: file, key: "\(place).norm", expected: "a number", found: norm["norm"]?.kindDescription ?? "no such key")
            }
            return ResidNorm(step: step, layer: layer, hook: hook, norm: value)
        }
    }

    /// A `W` frame: `{"step": int, "norms": [[number per head] per layer]}`.
    static func wovNorms(_ frame: Frame, file: String) throws -> [WOVNorm] {
        let root = try object(frame, file: file)
        try onlyKeys(["step", "norms"], root, frame, file: file)
        let step = try integer("step", root, frame, file: file)
        var norms: [WOVNorm] = []
        for (layer, item) in try list("norms", root, frame, file: file).enumerated() {
            guard let heads = item.array else { throw error(frame, file: file, key: "norms[\(layer)]", expected: "a list of numbers, one per head", found: item.kindDescription) }
            for (head, value) in heads.enumerated() {
                guard let number = value.number else { throw error(frame, file: file, key: "norms[\(layer)][\(head)]", expected: "a number", found: value.kindDescription) }
                norms.append(WOVNorm(step: step, layer: layer, head: head, frobeniusNorm: number))
            }
        }
        return norms
    }

    /// A `K` frame: `{"step": int, "sha256": "64 hex digits"}`, the checkpoint's weights hash.
    static func weightsHash(_ frame: Frame, file: String) throws -> (step: Int, hash: WeightsHash) {
        let root = try object(frame, file: file)
        try onlyKeys(["step", "sha256"], root, frame, file: file)
        let step = try integer("step", root, frame, file: file)
        guard let text = root["sha256"]?.string, let hash = WeightsHash(hex: text) else {
            let found = root["sha256"].map { $0.string.map { "'\($0.prefix(80))' (\($0.count) characters)" } ?? $0.kindDescription } ?? "no such key"
            throw error(frame, file: file, key: "sha256", expected: "a SHA-256 as 64 hex digits", found: found)
        }
        return (step, hash)
    }

    /// A `G` frame: `{"frames": int}`, how many of the frames after it are one transaction
    /// (1 to ``FrameGroup/maxFrames``).
    static func group(_ frame: Frame, file: String) throws -> Int {
        let root = try object(frame, file: file)
        try onlyKeys(["frames"], root, frame, file: file)
        let count = try integer("frames", root, frame, file: file)
        guard (1...FrameGroup.maxFrames).contains(count) else {
            throw error(frame, file: file, key: "frames", expected: "a count of frames from 1 to \(FrameGroup.maxFrames)", found: "\(count)")
        }
        return count
    }

    /// An `E` frame: `{"complete": bool}`.
    static func complete(_ frame: Frame, file: String) throws -> Bool {
        let root = try object(frame, file: file)
        try onlyKeys(["complete"], root, frame, file: file)
        guard case .bool(let complete)? = root["complete"] else {
            throw error(frame, file: file, key: "complete", expected: "true or false", found: root["complete"]?.kindDescription ?? "no such key")
        }
        return complete
    }

    // MARK: - Pieces

    private static func onlyKeys(_ keys: Set<String>, _ object: [String: JSONValue], _ frame: Frame, file: String, in place: String? = nil) throws {
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw error(frame, file: file, key: place.map { "\($0).\(unknown)" } ?? unknown, expected: "only the keys \(keys.sorted().joined(separator: ", "))", found: "the key '\(unknown)'")
        }
    }

    private static func integer(_ key: String, _ object: [String: JSONValue], _ frame: Frame, file: String, in place: String? = nil) throws -> Int {
        guard let value = object[key]?.integer else {
            throw error(frame, file: file, key: place.map { "\($0).\(key)" } ?? key, expected: "an integer", found: object[key]?.kindDescription ?? "no such key")
        }
        return value
    }

    private static func list(_ key: String, _ object: [String: JSONValue], _ frame: Frame, file: String) throws -> [JSONValue] {
        guard let value = object[key]?.array else {
            throw error(frame, file: file, key: key, expected: "a list", found: object[key]?.kindDescription ?? "no such key")
        }
        return value
    }
}

extension IngestError {
    /// The error with the JSON key it is about put before its message.
    func at(key: String) -> IngestError {
        var keyed = self
        keyed.message = "key '\(key)': \(message)"
        return keyed
    }
}
