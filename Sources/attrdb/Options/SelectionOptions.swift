import ArgumentParser
import AttrDB

/// `--run`, `--scan`, `--metric`: which stored values a command reads.
struct ScanOptions: ParsableArguments {
    @Option(help: "The run.") var run: String
    @Option(help: "The scan (default: the run's only scan, else 'default').") var scan: String?
    @Option(help: "The metric (default: the scan's only metric).") var metric: String?

    func select(in store: Store) throws -> ScanSelection {
        try ScanSelection(store: store, run: run, scan: scan, metric: metric)
    }
}
