import Foundation

/// What `attrdb ingest` is asked to do.
public struct IngestRequest: Sendable {
    /// What standard input holds when the path is "-".
    /// `frames` is the framed binary stream of docs/stream-format.md, read by ``FrameIngest``.
    public enum StreamFormat: String, Sendable, CaseIterable { case jsonl, csv, frames }

    public var path: String
    public var run: String
    public var scan: String?
    public var metric: String?
    public var model: String?
    public var task: String?
    public var streamFormat: StreamFormat
    public var options: IngestOptions
    /// Marks the run complete after this ingest. An ingest of a file always does; one from standard
    /// input leaves the run incomplete (more checkpoints may follow) unless this is set.
    public var complete: Bool

    public init(path: String, run: String, scan: String? = nil, metric: String? = nil, model: String? = nil, task: String? = nil,
                streamFormat: StreamFormat = .jsonl, options: IngestOptions = IngestOptions(), complete: Bool = false) {
        self.path = path
        self.run = run
        self.scan = scan
        self.metric = metric
        self.model = model
        self.task = task
        self.streamFormat = streamFormat
        self.options = options
        self.complete = complete
    }

    /// The metric when neither `--metric` nor axes.json names one.
    public static let defaultMetric = "attribution"
}

/// Reads any supported input and writes it through one ``Recorder``: one ingest, one transaction.
public enum Ingest {
    /// Ingests `request.path` into the store at `storePath`, creating it when missing. The input is
    /// opened and checked first, and a store this call created is removed again when the ingest
    /// fails: bad input leaves no file behind. A store this call creates is written with a rollback
    /// journal (``Store/withRollbackJournal(_:)``) and left in WAL mode.
    public static func run(_ request: IngestRequest, storePath: String, busyTimeout: Double = Store.defaultBusyTimeout,
                           progress: ((Int, Int) -> Void)? = nil) throws -> IngestSummary {
        let started = Date()
        let source = try open(request)
        let existed = storePath == ":memory:" || FileManager.default.fileExists(atPath: storePath)
        do {
            return try Store.writing(path: storePath, busyTimeout: busyTimeout) { store in
                let ingest = { try write(source, request, into: store, started: started, progress: progress) }
                // A store made just now has no reader to keep out: its pages are written once, not to
                // the log and again at the checkpoint (RollbackJournal.swift). Another ingest that
                // found no store either waits for this one's exclusive lock like any writer: the
                // switch back to the log is retried on busy (JournalPolicy.apply).
                return existed ? try ingest() : try store.withRollbackJournal(ingest)
            }
        } catch {
            // The store is closed by now.
            if !existed {
                Store.removeIfUnused(at: storePath)
            } else {
                Store.playBackHotJournal(path: storePath)
            }
            throw error
        }
    }

    /// Ingests `request.path` into `store`. `progress(done, total)` is called after each checkpoint.
    public static func run(_ request: IngestRequest, into store: Store, progress: ((Int, Int) -> Void)? = nil) throws -> IngestSummary {
        try write(try open(request), request, into: store, started: Date(), progress: progress)
    }

    private static func write(_ source: AttributionSource, _ request: IngestRequest, into store: Store, started: Date,
                              progress: ((Int, Int) -> Void)?) throws -> IngestSummary {
        let axes = source.axes
        let target = IngestTarget(run: request.run, scan: request.scan ?? Scan.defaultName,
                                  metric: request.metric ?? axes.metric ?? IngestRequest.defaultMetric,
                                  model: request.model ?? axes.model, task: request.task ?? axes.task,
                                  config: axes.metadataJSON == "{}" ? nil : axes.metadataJSON,
                                  scanHook: axes.hook)
        let recorder = try Recorder(store: store, target: target, components: axes.components, coefficients: axes.coefficients,
                                    options: request.options, source: request.path == "-" ? "standard input" : request.path)
        let prefetch = Prefetch(source: source, count: axes.checkpointSteps.count, valuesPerCheckpoint: recorder.valuesPerCheckpoint,
                                hashing: recorder.precision == .f32, layout: recorder.summaryLayout)
        do {
            for (index, step) in axes.checkpointSteps.enumerated() {
                // The next checkpoint is read and transposed on another core while this one is written.
                let taken = try prefetch.take(index)
                try recorder.append(step: step, values: taken.values, digest: taken.digest)
                progress?(index + 1, axes.checkpointSteps.count)
            }
            let statistics = source.statistics
            if !statistics.losses.isEmpty { try recorder.record(stats: statistics.losses) }
            if !statistics.residNorms.isEmpty { try recorder.record(residNorms: statistics.residNorms) }
            if !statistics.wovNorms.isEmpty { try recorder.record(wovNorms: statistics.wovNorms) }
        } catch {
            recorder.rollback()
            throw error
        }
        var summary = try recorder.commit(status: request.path == "-" && !request.complete ? .incomplete : .complete)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Chooses the reader for the path: a folder, an .npz, an .npy with axes.json beside it,
    /// long-form CSV/TSV (optionally .gz), JSON lines, or "-" for standard input.
    static func open(_ request: IngestRequest) throws -> AttributionSource {
        let path = request.path
        if path == "-" {
            if request.streamFormat == .frames {
                throw IngestError(file: path, message: "a frame stream is read by FrameIngest.run, one transaction per frame")
            }
            let table = request.streamFormat == .csv ? try LongFormReader.readCSV(path: path) : try LongFormReader.readJSONLines(path: path)
            return DenseSource(axes: table.axes, matrices: table.matrices)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw IngestError(file: path, message: "no such file or folder")
        }
        if isDirectory.boolValue { return try DatasetFolder.open(path) }
        let lower = path.lowercased()
        let name = lower.hasSuffix(".gz") ? String(lower.dropLast(3)) : lower
        switch (name as NSString).pathExtension {
        case "npz": return try NPZSource.open(path)
        case "npy": return try DatasetFolder.open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, array: path)
        case "csv": let t = try LongFormReader.readCSV(path: path, delimiter: UInt8(ascii: ",")); return DenseSource(axes: t.axes, matrices: t.matrices)
        case "tsv": let t = try LongFormReader.readCSV(path: path, delimiter: UInt8(ascii: "\t")); return DenseSource(axes: t.axes, matrices: t.matrices)
        case "jsonl", "ndjson", "json": let t = try LongFormReader.readJSONLines(path: path); return DenseSource(axes: t.axes, matrices: t.matrices)
        default:
            throw IngestError(file: path, expected: "a dataset folder, .npz, .npy, .csv, .tsv (optionally .gz) or .jsonl file", found: "a file named '\((path as NSString).lastPathComponent)'")
        }
    }
}
