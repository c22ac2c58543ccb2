/// Which run an ingest writes to, and how it treats data already stored.
public struct IngestTarget: Sendable {
    public var run: String
    public var scan: String
    public var metric: String
    public var model: String?
    public var task: String?
    /// The run's configuration as JSON text; nil keeps what is stored ("{}" for a new run).
    public var config: String?
    /// Where the scan's steering vector was added, for a new scan.
    public var scanHook: String?

    public init(run: String, scan: String = Scan.defaultName, metric: String, model: String? = nil, task: String? = nil,
                config: String? = nil, scanHook: String? = nil) {
        self.scanHook = scanHook
        self.run = run
        self.scan = scan
        self.metric = metric
        self.model = model
        self.task = task
        self.config = config
    }
}

public struct IngestOptions: Sendable {
    /// Overwrite stored values that differ from the input, instead of refusing.
    public var replace: Bool
    /// Store NaN and ±Inf instead of refusing them (with a 16-bit precision, also finite values
    /// beyond its range, stored as ±Inf).
    public var allowNonFinite: Bool
    /// How a new run stores its values; nil: f32 for a new run, the run's own for an existing one.
    /// Another precision than an existing run's is refused.
    public var precision: Precision?

    public init(replace: Bool = false, allowNonFinite: Bool = false, precision: Precision? = nil) {
        self.replace = replace
        self.allowNonFinite = allowNonFinite
        self.precision = precision
    }
}

/// What one ingest did: the line every ingest ends with.
public struct IngestSummary: Equatable, Sendable {
    public var run: String
    public var scan: String
    public var metric: String
    public var checkpoints: Int
    public var components: Int
    public var coefficients: Int
    /// Checkpoints whose values were new to the store.
    public var added: Int
    /// Checkpoints already stored with identical values.
    public var unchanged: Int
    /// Checkpoints whose stored values were replaced (`--replace`).
    public var replaced: Int
    /// Statistic rows (losses, residual norms, W_OV norms) newly written.
    public var statistics: Int
    public var seconds: Double

    public var values: Int { checkpoints * components * coefficients }
    public var valuesPerSecond: Double { seconds > 0 ? Double(values) / seconds : 0 }

    /// One line: values, checkpoints, components, seconds, values/s, and what was new. Names are
    /// shown with their control characters escaped: the line goes to a terminal.
    public var line: String {
        let rate = valuesPerSecond >= 1e6 ? String(format: "%.1f M values/s", valuesPerSecond / 1e6) : String(format: "%.0f values/s", valuesPerSecond)
        var text = "\(Escape.terminal(run))/\(Escape.terminal(scan))/\(Escape.terminal(metric)): \(values) values, \(checkpoints) checkpoints × \(coefficients) coefficients × \(components) components in \(String(format: "%.3f", seconds)) s (\(rate))"
        if added == 0 && replaced == 0 && statistics == 0 {
            text += "; nothing new: all already stored identically, store unchanged"
        } else {
            text += "; \(added) new, \(unchanged) unchanged, \(replaced) replaced checkpoints, \(statistics) statistic rows"
        }
        return text
    }
}
