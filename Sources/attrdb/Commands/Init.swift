import ArgumentParser
import AttrDB

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a store, or bring an existing one to this attrdb's schema version.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let opened = try store.open(.create)
        print("\(opened.path): attrdb store, schema version \(try opened.schemaVersion())")
    }
}
