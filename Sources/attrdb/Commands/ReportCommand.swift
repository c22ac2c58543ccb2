import ArgumentParser
import AttrDB

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page about a run: metadata, capacity, shares, top components, clusters, turnover, concentration, norms.")

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("run"), help: "The run.") var runName: String
    @Option(help: "The scan (default: the run's only scan, else 'default').") var scan: String?
    @Option(help: "The metric (default: the scan's only metric).") var metric: String?
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The HTML file (written beside and moved into place when complete).", valueName: "file")) var output: String
    @Option(name: .short, parsing: .unconditional, help: "Clusters in the report.") var k = 4
    @Option(parsing: .unconditional, help: "The share cut-off for turnover.") var cutoff = 0.05

    func validate() throws {
        // -k 0 would drop the clusters section without a word.
        try NumericOption.positive(k, "-k")
        try NumericOption.share(cutoff, "--cutoff")
    }

    func run() throws {
        let page = try Report.page(store: try store.open(.read), run: runName, scan: scan, metric: metric, k: k, cutoff: cutoff)
        let sink = try OutputSink.file(output)
        try sink.write(page)
        try sink.finish()
    }
}
