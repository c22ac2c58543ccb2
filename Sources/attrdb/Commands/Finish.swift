import ArgumentParser
import AttrDB

struct Finish: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finish",
        abstract: "Mark a run complete.",
        discussion: "A run streamed from standard input stays incomplete (more checkpoints may follow) until this, or an ingest with --complete. Finishing a complete run changes nothing.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The run's name.", valueName: "run")) var name: String

    func run() throws {
        try store.open(.write).finish(run: name)
    }
}
