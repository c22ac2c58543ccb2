import Foundation

/// `attrdb ingest - --format frames`: reads a frame stream (docs/stream-format.md) and writes it
/// through one ``Recorder``, one transaction per frame (or per ``FrameGroup``), acknowledging each
/// committed frame.
///
/// The header registers (or reopens) the run, scan, metric and components and is committed on its
/// own, leaving the run incomplete; each later frame, or group of frames, is committed whole or not
/// at all. An error stops
/// the stream with the frames before it kept; end of input without an end frame keeps every
/// committed frame and leaves the run incomplete.
public enum FrameIngest {
    /// What the command line says besides the stream: names the header must match, and options
    /// added to the header's.
    public struct Expectations: Sendable {
        public var run: String?
        public var scan: String?
        public var metric: String?
        public var options: IngestOptions

        public init(run: String? = nil, scan: String? = nil, metric: String? = nil, options: IngestOptions = IngestOptions()) {
            self.run = run
            self.scan = scan
            self.metric = metric
            self.options = options
        }
    }

    /// Reads the stream from `descriptor` into the store at `storePath` (created when missing).
    /// `acknowledge` is called after each committed frame (the header included); the command writes
    /// `ok` for it. A store this call created is removed again when nothing was committed.
    public static func run(descriptor: Int32 = STDIN_FILENO, file: String = "-", storePath: String,
                           busyTimeout: Double = Store.defaultBusyTimeout, expectations: Expectations = Expectations(),
                           acknowledge: () -> Void) throws -> IngestSummary {
        let reader = FrameReader(descriptor: descriptor, file: file)
        try reader.readMagic()
        guard let first = try reader.next() else {
            throw IngestError(file: file, location: .offset(reader.offset), expected: "the header frame (H)", found: "end of input")
        }
        var header = try FrameHeader.decode(first, file: file)
        try check(header, against: expectations, frame: first, file: file)
        header.options.replace = header.options.replace || expectations.options.replace
        header.options.allowNonFinite = header.options.allowNonFinite || expectations.options.allowNonFinite
        header.options.precision = header.options.precision ?? expectations.options.precision
        reader.checkpointLength = header.checkpointLength

        let existed = storePath == ":memory:" || FileManager.default.fileExists(atPath: storePath)
        var committed = false
        do {
            // A removal shows at the header's registration, before any frame after it is read.
            return try Store.writing(path: storePath, busyTimeout: busyTimeout) { store in
                try write(reader, header: header, headerFrame: first, into: store) {
                    committed = true
                    acknowledge()
                }
            }
        } catch {
            if !existed && !committed {
                Store.removeIfUnused(at: storePath)
            }
            throw error
        }
    }

    private static func check(_ header: FrameHeader, against expectations: Expectations, frame: Frame, file: String) throws {
        for (option, given, streamed) in [("--run", expectations.run, header.run), ("--scan", expectations.scan, header.scan),
                                          ("--metric", expectations.metric, header.metric)] {
            if let given, given != streamed {
                throw IngestError(file: file, location: frame.location, expected: "\(option) '\(given)', as the command line says", found: "'\(streamed)' in the header")
            }
        }
        if let given = expectations.options.precision, let streamed = header.options.precision, given != streamed {
            throw IngestError(file: file, location: frame.location, expected: "--precision \(given.rawValue), as the command line says", found: "precision '\(streamed.rawValue)' in the header")
        }
    }

    private static func write(_ reader: FrameReader, header: FrameHeader, headerFrame: Frame, into store: Store,
                              acknowledge: () -> Void) throws -> IngestSummary {
        let file = reader.file
        let target = IngestTarget(run: header.run, scan: header.scan, metric: header.metric, model: header.model, task: header.task,
                                  config: header.config)
        let recorder: Recorder
        do {
            recorder = try Recorder(store: store, target: target, components: header.components, coefficients: header.coefficients,
                                    options: header.options, source: file)
            if !header.tags.isEmpty {
                try recorder.guarded { try store.setTags(header.tags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, runID: recorder.runID) }
            }
            // The registration is durable before the first `ok`, like any ingest's commit.
            try recorder.commitFrame(status: .incomplete)
        } catch let error as IngestError {
            throw FramePayload.reframe(error, headerFrame.location)
        }
        acknowledge()
        // From here each frame's commit is atomic but waits for no disk; the end (an end frame, end
        // of input or an error) makes them all durable. See JournalPolicy.applyStreaming.
        try store.beginStream()
        // The log is copied back into the database file on another core while frames arrive, so
        // that the end has little left to copy and sync.
        let checkpointer = store.streamCheckpointer()
        var streaming = true
        defer {
            checkpointer?.stop()
            recorder.rollback()  // what an error left half-done; nothing once committed
            if streaming { store.endStream() }
        }

        // Frame N + 1 is read, checked, transposed, hashed and summed on another core while frame N
        // is inserted and committed here; its error, if any, comes out after frame N's `ok`.
        let prefetch = try FramePrefetch(reader: reader, coefficients: header.coefficients.count, components: header.components.count,
                                         digesting: recorder.precision == .f32, layout: recorder.summaryLayout)
        defer { prefetch.stop() }
        // Payload bytes committed since the writer's last checkpoint of its own.
        var logged = 0
        // Payload bytes since the last commit: what the checkpointer is told the commit held.
        var uncommitted = 0
        var group = FrameGroup()
        var batch = CommitBatch()
        while let frame = try prefetch.next() {
            let commits: Bool
            do {
                commits = try group.admit(frame, file: file)
                switch frame.content {
                case .checkpoint(let step, let values, let digest):
                    try recorder.append(step: step, values: values, digest: digest)
                case .statistics(let statistics):
                    try recorder.record(stats: statistics)
                case .residNorms(let norms):
                    try recorder.record(residNorms: norms)
                case .wovNorms(let norms):
                    try recorder.record(wovNorms: norms)
                case .weightsHash(let step, let hash):
                    try recorder.record(weightsHash: hash, step: step)
                case .group:
                    break  // its count is all it says: FrameGroup holds the commit until the group's last frame
                case .end(let complete):
                    checkpointer?.stop()
                    store.endStream()
                    streaming = false
                    let summary = try recorder.commit(status: complete ? .complete : .incomplete)
                    acknowledge()
                    // Nothing may follow the end frame; the writer may wait for this `ok` before it
                    // closes the pipe, so the end frame is committed first and the check comes after.
                    if try prefetch.next() != nil { preconditionFailure("the reader refuses frames after the end") }
                    return summary
                }
                logged += frame.payloadLength
                uncommitted += frame.payloadLength
                // The next checkpoint already waiting joins this one's commit; both are acknowledged after it.
                if commits, try batch.keepsOpen(after: frame, for: prefetch.ready(), recorder: recorder) { continue }
                if commits {
                    defer { uncommitted = 0 }
                    if logged >= StreamCheckpointer.writerCheckpointBytes {
                        // Now and then the writer checkpoints itself (and so resets the log, which
                        // only a checkpoint that copies everything does): the log stays bounded even
                        // when the checkpointer thread never catches up, and is written again from its
                        // start in pages the kernel already holds (StreamCheckpointer.writerCheckpointBytes).
                        logged = 0
                        try recorder.commitFrame(status: .incomplete, checkpoint: false)
                        if let checkpointer {
                            checkpointer.pause { store.checkpointStream() }
                        } else {
                            store.checkpointStream()
                        }
                    } else {
                        try recorder.commitFrame(status: .incomplete, checkpoint: false)
                        checkpointer?.committed(payloadBytes: uncommitted)
                    }
                }
            } catch let error as IngestError where error.location == nil {
                // The recorder's errors (a conflict, non-finite values) say what; the frame says where.
                throw FramePayload.reframe(error, frame.location)
            }
            if commits {
                for _ in 0..<group.committed() { acknowledge() }
            }
        }
        // End of input inside a group: the defer rolls its frames back.
        if let truncated = group.truncation(file: file, at: reader.offset) { throw truncated }
        // End of input between frames: every committed frame stays, the run stays incomplete.
        return recorder.summary
    }
}
