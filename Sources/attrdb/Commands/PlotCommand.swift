import ArgumentParser
import AttrDB
import Foundation

extension Plots.Kind: ExpressibleByArgument {}

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Draw an SVG: capacity heatmap, shares over training, profiles, clusters, norm growth, concentration, training (capacity over loss and accuracy).",
        discussion: "attrdb plot capacity --run NAME -o capacity.svg. profile and clusters use the last checkpoint by default.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("capacity, shares, profile, clusters, norms, concentration or training (capacity over the loss and accuracy curves).", valueName: "plot")) var kind: Plots.Kind
    @OptionGroup var query: QueryOptions
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The SVG file (written beside and moved into place when complete).", valueName: "file")) var output: String
    @Option(name: .customLong("top-profiles"), parsing: .unconditional,
            help: "Profiles: how many to draw one by one, the largest by Σ|value|; the others make a grey min–max band.")
    var topProfiles = Plots.defaultTopProfiles
    @Option(name: .short, parsing: .unconditional, help: "Clusters: how many.") var k = 4
    @Option(parsing: .unconditional, help: "Clusters: seed for k-means++.", transform: NumericOption.seed) var seed: UInt64 = 0

    func validate() throws {
        if query.runs.count != 1 { throw ValidationError("plot takes one --run.") }
        try NumericOption.positive(k, "-k")
        try NumericOption.positive(topProfiles, "--top-profiles")
    }

    func run() throws {
        let opened = try store.open(.read)
        guard let resolved = try query.resolve(in: opened, checkpoints: Plots.defaultCheckpoints(kind)).first else { return }
        let svg = try Plots.svg(kind, store: opened, resolved: resolved, components: query.components, k: k, seed: seed, top: topProfiles)
        let sink = try OutputSink.file(output)
        try sink.write(svg)
        try sink.finish()
    }
}
