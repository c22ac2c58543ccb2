import ArgumentParser
import AttrDB

struct Tag: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Set or remove tags on a run.",
        discussion: "attrdb tag RUN seed=3 sweep=lr  |  attrdb tag RUN --remove sweep")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The run's name.", valueName: "run")) var name: String
    @Argument(help: ArgumentHelp("Tags to set.", valueName: "key=value")) var tags: [String] = []
    @Option(name: .customLong("remove"), help: ArgumentHelp("A tag key to remove (repeatable).", valueName: "key"))
    var remove: [String] = []

    func validate() throws {
        if tags.isEmpty && remove.isEmpty { throw ValidationError("Give at least one KEY=VALUE or --remove KEY.") }
        for tag in tags where TagText.parse(tag) == nil { throw ValidationError(TagText.malformed(tag)) }
    }

    func run() throws {
        try store.open(.write).tag(run: name, set: tags.compactMap(TagText.parse), remove: remove)
    }
}
