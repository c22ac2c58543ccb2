import ArgumentParser
import AttrDB
import Foundation

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Bring the runs of other stores (one per node of a Slurm array, say) into this one.",
        discussion: """
            Each SOURCE is merged in one transaction, in the order given, and opened read-only: it is never changed. \
            Runs are matched by name, scans and metrics by name, checkpoints by step; matrices and their checksums are \
            copied as stored, with tags, statistics and norms. A matrix the store already holds with the same bytes \
            changes nothing, so merging twice changes nothing. A run whose components or coefficient grid differ, or a \
            matrix or statistic whose values differ, is refused (exit 4) naming it and the source, unless --replace: then \
            the source's win. A merged run is complete when both its parts are. The store is created when missing. \
            docs/merge.md has the details and the Slurm-array pattern.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The stores to merge from.", valueName: "source")) var sources: [String]
    @Option(name: .customLong("run"), help: "Merge only this run of each source.") var runName: String?
    @Flag(help: "Where the source and the store differ, take the source's values (and a run or scan whole when its components or grid differ).")
    var replace = false

    func validate() throws {
        if sources.isEmpty { throw ValidationError("Missing expected argument '<source> ...': give the stores to merge from.") }
        if runName?.isEmpty == true { throw ValidationError("--run needs a non-empty name.") }
    }

    func run() throws {
        let existed = FileManager.default.fileExists(atPath: store.path)
        var merged = 0
        do {
            try mergeAll(counting: &merged)
        } catch {
            // A store this command made, closed by now, with nothing merged into it is not left behind.
            if !existed && merged == 0 { Store.removeIfUnused(at: store.path) }
            throw error
        }
    }

    /// Merges every source in turn, printing each one's summary; `merged` counts those that committed.
    private func mergeAll(counting merged: inout Int) throws {
        let isNew = !FileManager.default.fileExists(atPath: store.path)
        // A removal shows at the first source's write, before anything is merged.
        try Store.writing(path: store.path, busyTimeout: store.busyTimeoutSeconds) { destination in
            func mergeEach() throws {
                for source in sources {
                    let summary = try destination.merge(from: source, run: runName, replace: replace)
                    merged += 1
                    Diagnostics.note(summary.line)
                }
            }
            // A store made just now has no reader to keep out: its pages are written once (see withRollbackJournal).
            if isNew { try destination.withRollbackJournal(mergeEach) } else { try mergeEach() }
        }
    }
}
