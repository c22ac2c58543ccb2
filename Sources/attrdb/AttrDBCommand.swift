import ArgumentParser
import AttrDB
import Foundation

@main
struct AttrDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attrdb",
        abstract: "A local store and query tool for attributions per model component, injection coefficient and training checkpoint.",
        discussion: "The store is one SQLite file: --db PATH, else $ATTRDB_DB, else ./attrdb.sqlite. What each command's columns mean: attrdb help columns.",
        // Every subcommand names itself (`commandName:`): without it ArgumentParser derives the name
        // from the type's through `String(describing:)`, a run-time type lookup per command on
        // every start (about 4 % of `capacity`'s whole process at 10⁹ values, perf).
        subcommands: [
            Init.self, IngestCommand.self, Finish.self, Runs.self, Show.self, Tag.self, Delete.self, CapacityCommand.self, TopCommand.self, ProfileCommand.self, ClustersCommand.self, TurnoverCommand.self, ConcentrationCommand.self, NormsCommand.self, CompareCommand.self, SQLCommand.self, Export.self, PlotCommand.self, ReportCommand.self, CheckCommand.self, BackupCommand.self, MergeCommand.self, ColumnsCommand.self, ServeCommand.self,
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
        Foundation.exit(runReportingErrors())
    }

    /// The exit status, after any message. It returns rather than exits so that nothing of the
    /// parse is live when the process exits: ArgumentParser's `exit(withError:)` exits from inside
    /// the catch, and LeakSanitizer (make sanitize) reported the parser's tables as leaked on every
    /// usage error, turning exit status 64 into 1.
    private static func runReportingErrors() -> Int32 {
        let commands = configuration.subcommands.map { $0._commandName } + ["help"]
        if let unknown = UnknownCommand.find(in: Array(CommandLine.arguments.dropFirst()), commands: commands) {
            Diagnostics.error(unknown.description)
            return ExitCode.validationFailure.rawValue
        }
        do {
            var command = try parseAsRoot()
            try command.run()
            return 0
        } catch is ReaderClosed {
            return 0
        } catch {
            if let status = ExitStatus.of(error) {
                Diagnostics.error(String(describing: error))
                return status
            }
            // As ArgumentParser's exit(withError:) does: help and --version on standard output with
            // status 0, anything else on standard error.
            let status = exitCode(for: error)
            let text = fullMessage(for: error)
            if !text.isEmpty {
                if status == .success { print(text) } else { Diagnostics.write(Diagnostics.visible(text) + "\n") }
            }
            return status.rawValue
        }
    }
}
