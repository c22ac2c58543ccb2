/// One experiment: a named run of a model on a task, with its configuration and tags.
public struct Run: Equatable, Sendable {
    public enum Status: String, Sendable { case complete, incomplete }

    public var name: String
    public var model: String?
    public var task: String?
    /// Free-form JSON, as the experiment recorded it.
    public var config: String
    /// ISO 8601, UTC.
    public var createdAt: String
    public var status: Status
    public var tags: [String: String]
    /// How the run's values are stored (every reader decodes them to float32).
    public var precision: Precision

    public init(name: String, model: String? = nil, task: String? = nil, config: String = "{}",
                createdAt: String, status: Status = .incomplete, tags: [String: String] = [:], precision: Precision = .f32) {
        self.name = name
        self.model = model
        self.task = task
        self.config = config
        self.createdAt = createdAt
        self.status = status
        self.tags = tags
        self.precision = precision
    }
}

/// A run with the sizes `attrdb runs` lists.
public struct RunSummary: Equatable, Sendable {
    public var run: Run
    public var checkpoints: Int
    public var components: Int
    public var values: Int
}
