import ArgumentParser
import AttrDB

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page about a run: capacity by layer over the loss and accuracy curves, top components, profiles, clusters, turnover, concentration, run facts and config.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var query: QueryOptions
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The HTML file (written beside and moved into place when complete).", valueName: "file")) var output: String
    @Option(name: .customLong("top-profiles"), parsing: .unconditional,
            help: "Profiles: how many to draw one by one, the largest by Σ|value|; the others make a grey min–max band.")
    var topProfiles = Plots.defaultTopProfiles
    @Option(name: .short, parsing: .unconditional, help: "Clusters in the report.") var k = 4
    @Option(parsing: .unconditional, help: "The share cut-off for turnover.") var cutoff = 0.05

    func validate() throws {
        if query.runs.count != 1 { throw ValidationError("report takes one --run.") }
        // The page chooses each section's checkpoints and coefficients itself (all, the last, nearest 0).
        if let (option, _) = [("--checkpoint", query.checkpoint != nil), ("--coef", query.coef != nil), ("--layer", !query.layer.isEmpty),
                              ("--kind", !query.kind.isEmpty), ("--component", !query.components.isEmpty)].first(where: \.1) {
            throw ValidationError("report covers the whole run: \(option) does not apply.")
        }
        // -k 0 would drop the clusters section without a word.
        try NumericOption.positive(k, "-k")
        try NumericOption.positive(topProfiles, "--top-profiles")
        try NumericOption.share(cutoff, "--cutoff")
    }

    func run() throws {
        let page = try Report.page(store: try store.open(.read), run: query.runs[0], scan: query.scan, metric: query.metric, k: k, cutoff: cutoff, topProfiles: topProfiles)
        let sink = try OutputSink.file(output)
        try sink.write(page)
        try sink.finish()
    }
}
