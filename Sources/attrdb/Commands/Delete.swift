import ArgumentParser
import AttrDB
import Foundation

struct Delete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a run and all it holds.",
        discussion: "Asks for confirmation on a terminal; elsewhere --yes is required.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The run's name.", valueName: "run")) var name: String
    @Flag(name: [.short, .long], help: "Delete without asking.") var yes = false

    func run() throws {
        let opened = try store.open(.write)
        let summary = try opened.runs().first { $0.run.name == name }
        guard let summary else { _ = try opened.runID(named: name); return }
        if !yes {
            guard isatty(0) == 1 else {
                throw ValidationError("Not deleting '\(name)' without --yes when standard input is not a terminal.")
            }
            Diagnostics.write("Delete run '\(name)' (\(summary.checkpoints) checkpoints, \(summary.values) values)? [y/N] ")
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                Diagnostics.note("Nothing deleted.")
                return
            }
        }
        try opened.deleteRun(named: name)
        Diagnostics.note("Deleted run '\(name)'.")
    }
}
