import ArgumentParser
import AttrDB
import Foundation

extension IngestRequest.StreamFormat: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Store attributions from a dataset folder, .npz, .npy, long-form CSV/TSV (.gz too) or JSON lines.",
        discussion: """
            PATH is a folder with attributions.npy + axes.json (and losses.csv, resid_norms.csv, wov_norms.csv when \
            present), an .npz, a long-form CSV/TSV with the header checkpoint_step,coefficient,component,layer,kind,value, \
            a .jsonl file, or - for JSON lines (or CSV with --format csv) on standard input. \
            A run ingested from standard input stays incomplete until an ingest with --complete or attrdb finish RUN.
            With --format frames, standard input is the framed binary stream of docs/stream-format.md (what the \
            Python recorder writes): run, scan, metric, grid and components come from its header (--run, --scan and \
            --metric, when given, must match it), each frame is one transaction, 'ok' is printed on standard output \
            after each committed frame, and its end frame says whether the run is complete.
            A further checkpoint of an existing run/scan/metric is appended; identical data changes nothing; values \
            that differ from stored ones are refused unless --replace. One ingest is one transaction (a frame stream: one per frame).
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("What to ingest ('-' for standard input).", valueName: "path")) var path: String
    @Option(name: .customLong("run"), help: "The run to write to (created when new); with --format frames the header names it, and this must match.") var runName: String?
    @Option(help: "The scan's name (default: default).") var scan: String?
    @Option(help: "The metric (default: axes.json's metric, else 'attribution').") var metric: String?
    @Option(help: "The model's name (default: axes.json's metadata.model).") var model: String?
    @Option(help: "The task (default: axes.json's metadata.task).") var task: String?
    @Flag(help: "Overwrite stored values that differ from the input.") var replace = false
    @Flag(name: .customLong("allow-nonfinite"), help: "Store NaN and ±Inf instead of refusing them (and, with --precision f16 or bf16, finite values beyond its range as ±Inf).") var allowNonFinite = false
    @Option(help: ArgumentHelp("How a new run stores its values: f32 (4 bytes a value, as given), f16 or bf16 (2 bytes, rounded to nearest even); read back as float32 everywhere. Default: f32 for a new run, the run's own for an existing one (another is refused).",
                               valueName: "f32|f16|bf16"))
    var precision: Precision?
    @Option(help: "What standard input holds: jsonl, csv or frames (default: jsonl).") var format: IngestRequest.StreamFormat = .jsonl
    @Flag(help: "Mark the run complete after this ingest (from standard input a run stays incomplete, as more may follow; a file completes it anyway).")
    var complete = false

    func validate() throws {
        if format == .frames {
            if path != "-" { throw ValidationError("--format frames reads standard input: give '-' as the path.") }
            if model != nil || task != nil { throw ValidationError("--model and --task come from the frame stream's header.") }
            if complete { throw ValidationError("--complete does not apply to --format frames: the stream's end frame says whether the run is complete.") }
        } else if runName == nil {
            throw ValidationError("Missing expected argument '--run <run>' (only --format frames takes the run from its input).")
        }
        if runName?.isEmpty == true { throw ValidationError("--run needs a non-empty name.") }
    }

    func run() throws {
        if format == .frames { return try runFrames() }
        let request = IngestRequest(path: path, run: runName ?? "", scan: scan, metric: metric, model: model, task: task,
                                    streamFormat: format, options: IngestOptions(replace: replace, allowNonFinite: allowNonFinite, precision: precision),
                                    complete: complete)
        let progress = Progress(label: "ingest")
        let summary = try Ingest.run(request, storePath: store.path, busyTimeout: store.busyTimeoutSeconds, progress: progress.update)
        progress.finish()
        Diagnostics.note(summary.line)
    }

    /// Reads a frame stream, printing `ok` on standard output after each committed frame.
    private func runFrames() throws {
        let expectations = FrameIngest.Expectations(run: runName, scan: scan, metric: metric,
                                                    options: IngestOptions(replace: replace, allowNonFinite: allowNonFinite, precision: precision))
        let summary = try FrameIngest.run(storePath: store.path, busyTimeout: store.busyTimeoutSeconds, expectations: expectations) {
            // write(2) straight to the descriptor: nothing buffers the acknowledgement the writer waits for.
            let ok: [UInt8] = Array("ok\n".utf8)
            var written = 0
            while written < ok.count {
                let count = ok.withUnsafeBytes { Foundation.write(STDOUT_FILENO, $0.baseAddress! + written, ok.count - written) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return }
                written += count
            }
        }
        Diagnostics.note(summary.line)
    }
}
