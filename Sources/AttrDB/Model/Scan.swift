/// A coefficient grid and how it was made: the hook the steering vector was added at, and the
/// rest of its recipe (prompt, vector) as JSON. A plain attribution is a scan with one coefficient.
public struct Scan: Equatable, Sendable {
    public var name: String
    public var hook: String?
    public var config: String
    public var coefficients: [Double]

    public init(name: String, hook: String? = nil, config: String = "{}", coefficients: [Double]) {
        self.name = name
        self.hook = hook
        self.config = config
        self.coefficients = coefficients
    }

    /// The name a scan gets when none is given.
    public static let defaultName = "default"
}
