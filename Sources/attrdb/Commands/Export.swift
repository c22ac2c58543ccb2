import ArgumentParser
import AttrDB
import Foundation

struct Export: ParsableCommand {
    enum Table: String, CaseIterable, ExpressibleByArgument {
        case values
    }

    static let configuration = CommandConfiguration(
        abstract: "Write a table to standard output or a file, in any format.",
        discussion: "values: every stored value in long form, checkpoint_step,coefficient,component,layer,kind,value; float32 values print with the fewest digits that read back exactly.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The table: \(Table.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "table")) var table: Table
    @OptionGroup var selection: ScanOptions
    @OptionGroup var output: OutputOptions
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var file: String?

    func run() throws {
        let opened = try store.open(.read)
        let chosen = try selection.select(in: opened)
        let sink = try file.map(OutputSink.file) ?? .standardOutput()
        switch table {
        case .values:
            try ValuesTable.write(chosen, to: output.writer(columns: ValuesTable.columns, sink: sink))
        }
    }
}
