import AttrDB

/// A request's query parameters, named as the command line's options (`run`, `checkpoint`, `coef`,
/// `k`, …), read into the library's typed values. Repeated parameters (`run`, `layer`, `kind`,
/// `component`) keep their order; a parameter the command does not take is refused, as the command
/// line refuses an unknown option, so a misspelt one never silently answers a different table.
struct APIParameters {
    private var values: [(name: String, value: String)]
    /// The names the command read: anything else given is an error (``refuseUnread()``).
    private var read: Set<String> = []

    init(_ pairs: [(String, String)]) {
        values = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// Every value of a repeatable parameter.
    mutating func all(_ name: String) -> [String] {
        read.insert(name)
        return values.filter { $0.name == name }.map(\.value)
    }

    /// The one value of `name`, nil when absent; given twice is a usage error.
    mutating func one(_ name: String) throws(APIUsageError) -> String? {
        let found = all(name)
        if found.count > 1 { throw APIUsageError("\(name) is given \(found.count) times; give it once.") }
        return found.first
    }

    mutating func int(_ name: String, default value: Int) throws(APIUsageError) -> Int {
        guard let text = try one(name) else { return value }
        guard let number = Int(text) else { throw APIUsageError("\(name) takes a whole number, found '\(text)'.") }
        return number
    }

    mutating func double(_ name: String) throws(APIUsageError) -> Double? {
        guard let text = try one(name) else { return nil }
        guard let number = Double(text) else { throw APIUsageError("\(name) takes a number, found '\(text)'.") }
        return number
    }

    /// A flag: absent is false; present as `name`, `name=true` or `name=1` is true.
    mutating func flag(_ name: String) throws(APIUsageError) -> Bool {
        guard let text = try one(name) else { return false }
        switch text {
        case "", "true", "1": return true
        case "false", "0": return false
        default: throw APIUsageError("\(name) is a flag: give it as \(name), \(name)=true or \(name)=false, not '\(text)'.")
        }
    }

    /// A value of one of an enumeration's cases, by its raw value (the command line's spelling).
    mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, default value: T) throws(APIUsageError) -> T where T.RawValue == String {
        guard let text = try one(name) else { return value }
        guard let chosen = T(rawValue: text) else {
            throw APIUsageError("\(name) takes one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'.")
        }
        return chosen
    }

    /// The selection every query command shares, parsed by the library's own parsers
    /// (``CheckpointSelection/init(parsing:)``, ``CoefficientSelection/init(parsing:)``), with the
    /// command's defaults where not given, exactly as the command line's `QueryOptions` does.
    mutating func selection(checkpoints defaultCheckpoints: CheckpointSelection,
                            coefficients defaultCoefficients: CoefficientSelection = .all) throws -> QuerySelection {
        let runs = all("run")
        if runs.isEmpty { throw APIUsageError("Give a run with run=NAME.") }
        var layers: [Int] = []
        for text in all("layer") {
            guard let layer = Int(text) else { throw APIUsageError("layer takes a whole number (-1 is the embeddings), found '\(text)'.") }
            layers.append(layer)
        }
        var kinds: [ComponentKind] = []
        for text in all("kind") {
            guard let kind = ComponentKind(rawValue: text) else {
                throw APIUsageError("kind takes one of \(ComponentKind.allCases.map(\.rawValue).joined(separator: ", ")), found '\(text)'.")
            }
            kinds.append(kind)
        }
        return QuerySelection(runs: runs, scan: try one("scan"), metric: try one("metric"),
                              checkpoints: try one("checkpoint").map(CheckpointSelection.init(parsing:)) ?? defaultCheckpoints,
                              coefficients: try one("coef").map(CoefficientSelection.init(parsing:)) ?? defaultCoefficients,
                              components: ComponentFilter(layers: layers, kinds: kinds, labels: all("component")))
    }

    /// Refuses parameters the command did not read.
    func refuseUnread(command: String) throws(APIUsageError) {
        if let unknown = values.first(where: { !read.contains($0.name) }) {
            throw APIUsageError("\(command) takes no parameter '\(unknown.name)'.")
        }
    }
}

/// A request the API cannot answer as asked: a parameter missing, repeated, malformed or unknown.
/// The command line's usage errors (exit status 64), answered with HTTP 400.
public struct APIUsageError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
