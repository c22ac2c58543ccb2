import ArgumentParser
import AttrDB

struct Tag: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set or remove tags on a run.",
        discussion: "attrdb tag RUN seed=3 sweep=lr  |  attrdb tag RUN --remove sweep")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The run's name.", valueName: "run")) var name: String
    @Argument(help: ArgumentHelp("Tags to set.", valueName: "key=value")) var tags: [String] = []
    @Option(name: .customLong("remove"), help: ArgumentHelp("A tag key to remove (repeatable).", valueName: "key"))
    var remove: [String] = []

    func validate() throws {
        if tags.isEmpty && remove.isEmpty { throw ValidationError("Give at least one KEY=VALUE or --remove KEY.") }
        for tag in tags where parsed(tag) == nil {
            throw ValidationError("'\(tag)' is not KEY=VALUE (a non-empty key, an equals sign, then the value).")
        }
    }

    private func parsed(_ tag: String) -> (key: String, value: String)? {
        guard let equals = tag.firstIndex(of: "="), equals != tag.startIndex else { return nil }
        return (String(tag[..<equals]), String(tag[tag.index(after: equals)...]))
    }

    func run() throws {
        try store.open(.write).tag(run: name, set: tags.compactMap(parsed), remove: remove)
    }
}
