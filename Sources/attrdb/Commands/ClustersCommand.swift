import ArgumentParser
import AttrDB

extension Clusters.Method: ExpressibleByArgument {}
extension ProfileDistance: ExpressibleByArgument {}

struct ClustersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters",
        abstract: "Group components by the shape of their profile against the coefficient.",
        discussion: "Profiles are z-normalised; k-means (k-means++ seeding, --seed) or average-linkage hierarchical clustering (--distance euclidean|correlation). Default: the last checkpoint. Columns: checkpoint_step,cluster,size,component,layer,kind,mass; --centroids: checkpoint_step,cluster,size,coefficient,centroid.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var query: QueryOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .short, parsing: .unconditional, help: "How many clusters.") var k = 4
    @Option(help: "kmeans or hierarchical.") var method: Clusters.Method = .kmeans
    @Option(help: "euclidean or correlation (hierarchical only; k-means on z-normalised profiles is correlation-like already).")
    var distance: ProfileDistance = .euclidean
    @Option(parsing: .unconditional, help: "Seed for k-means++.", transform: NumericOption.seed) var seed: UInt64 = 0
    @Option(name: .customLong("min-mass"), parsing: .unconditional, help: "Leave out components whose mass is below this.") var minMass = 0.0
    @Flag(help: "Print each cluster's centroid profile instead of its members.") var centroids = false

    func validate() throws {
        try NumericOption.positive(k, "-k")
        try NumericOption.mass(minMass, "--min-mass")
    }

    func run() throws {
        let opened = try store.open(.read)
        let request = QueryRequest.clusters(k: k, method: method, distance: distance, seed: seed, minMass: minMass, centroids: centroids)
        try output.print(byRun: try request.tables(query.selection(checkpoints: request.defaultCheckpoints), in: opened, note: Diagnostics.note))
    }
}
