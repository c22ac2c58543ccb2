import ArgumentParser
import AttrDB
import Foundation

@main
struct AttrDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attrdb",
        abstract: "A local store and query tool for attributions per model component, injection coefficient and training checkpoint.",
        discussion: "The store is one SQLite file: --db PATH, else $ATTRDB_DB, else ./attrdb.sqlite.",
        subcommands: [
            Init.self, IngestCommand.self, Runs.self, Show.self, Tag.self, Delete.self, CapacityCommand.self, TopCommand.self, ProfileCommand.self, ClustersCommand.self, TurnoverCommand.self, ConcentrationCommand.self, NormsCommand.self, CompareCommand.self, SQLCommand.self, Export.self, PlotCommand.self, ReportCommand.self, CheckCommand.self, BackupCommand.self,
        ]
    )

    /// Declared here too so `attrdb --db PATH COMMAND` works as well as `attrdb COMMAND --db PATH`.
    @OptionGroup var store: StoreOptions

    /// Parses, runs, and turns an error into a message on standard error and an exit status:
    /// the only place that does so.
    static func main() {
        // Past a file-size limit (ulimit -f) the kernel would kill the process with SIGXFSZ;
        // ignored, the write fails with EFBIG and the ingest rolls back with a clear error.
        signal(SIGXFSZ, SIG_IGN)
        // A reader that goes away (`attrdb sql … | head`) gives EPIPE, a clean stop, not a kill.
        signal(SIGPIPE, SIG_IGN)
        SignalCleanup.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch is ReaderClosed {
            Foundation.exit(0)
        } catch let error as UserFacingError {
            Diagnostics.error(error.description)
            Foundation.exit(error.exitStatus)
        } catch {
            exit(withError: error)
        }
    }
}
