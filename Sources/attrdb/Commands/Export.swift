import ArgumentParser
import AttrDB
import Foundation

extension ExportTable: ExpressibleByArgument {}
extension ExportFormat: ExpressibleByArgument {}
extension MassMode: ExpressibleByArgument {}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a table for papers and notebooks: text formats, NumPy or Parquet.",
        discussion: """
            TABLE: \(ExportTable.allCases.map(\.rawValue).joined(separator: ", ")). The selection options are the query commands'. \
            The format follows -o's extension (.csv .tsv .json .jsonl .md .tex .npy .parquet) unless --format says otherwise. \
            values as npy gives back the [checkpoints, coefficients, components] float32 array bit for bit, with axes.json beside it \
            (so the folder can be ingested again); an axes.json there that holds other axes is refused unless --force. \
            Other numeric tables become 2-d float64 arrays. --partition-by run,checkpoint_step writes a Hive-style Parquet tree into the -o folder; \
            a folder with files in it is refused unless --force, which replaces it whole. \
            Every output is written beside its target and moved into place when complete: a failed export leaves the old file or folder as it was.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The table.", valueName: "table")) var table: ExportTable
    @Option(name: .customLong("run"), help: ArgumentHelp("The run (repeatable).", valueName: "name")) var runs: [String] = []
    @Option(help: "The scan (default: the run's only scan, else 'default').") var scan: String?
    @Option(help: "The metric (default: the scan's only metric).") var metric: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Checkpoints: all, last, first, STEP, A:B or every:N.", valueName: "selection")) var checkpoint: String?
    @Option(parsing: .unconditional, help: ArgumentHelp("Coefficients: a value (nearest on the grid), A:B, or all; negative values as typed, e.g. --coef -5:5.", valueName: "selection")) var coef: String?
    @Option(parsing: .unconditionalSingleValue, help: ArgumentHelp("Keep components of this layer (repeatable; -1 is the embeddings).", valueName: "layer")) var layer: [Int] = []
    @Option(help: ArgumentHelp("Keep components of this kind (repeatable).", valueName: "kind")) var kind: [ComponentKind] = []
    @Option(help: ArgumentHelp("Output format: \(ExportFormat.allCases.map(\.rawValue).joined(separator: "|")) (default: from -o, else csv).", valueName: "format"))
    var format: ExportFormat?
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The file (or folder with --partition-by); default standard output.", valueName: "path"))
    var output: String?
    @Option(help: "A caption for LaTeX output.") var caption: String?
    @Option(name: .customLong("partition-by"), help: ArgumentHelp("Parquet only: columns to partition the dataset by, e.g. run,checkpoint_step.", valueName: "columns"))
    var partitionBy: String?
    @Flag(help: "Replace a --partition-by folder that has files in it, and an axes.json beside a values .npy that holds other axes.")
    var force = false
    @Flag(name: .customLong("no-headers"), help: "Leave out the header row.") var noHeaders = false
    @Option(parsing: .unconditional, help: "Significant digits for table, markdown and latex.") var digits: Int?
    @Option(name: .short, parsing: .unconditional, help: "K for top.") var k = 10
    @Option(help: "Group capacity by layer, kind, component or head.") var by: Capacity.Grouping = .layer
    @Option(help: "Capacity: absolute, signed or squared.") var mode: MassMode = .absolute
    @Flag(help: "Capacity and norms: one row per checkpoint.") var wide = false
    @Option(parsing: .unconditional, help: "K for concentration's top_k_share.") var top = 10
    @Option(parsing: .unconditional, help: "Clusters: how many.") var clusters = 4
    @Option(help: "Clusters: kmeans or hierarchical.") var method: Clusters.Method = .kmeans
    @Option(parsing: .unconditional, help: "Clusters: seed for k-means++.", transform: NumericOption.seed) var seed: UInt64 = 0
    @Option(name: .customLong("component"), help: ArgumentHelp("Profiles: component labels (repeatable; default all).", valueName: "label"))
    var components: [String] = []

    func validate() throws {
        if partitionBy != nil && resolvedFormat != .parquet { throw ValidationError("--partition-by writes Parquet: use --format parquet.") }
        if partitionBy != nil && output == nil { throw ValidationError("--partition-by needs -o FOLDER.") }
        if [.npy, .parquet].contains(resolvedFormat) && output == nil && resolvedFormat == .parquet {
            throw ValidationError("Parquet export needs -o FILE.")
        }
        _ = try QueryOptions.checkpoints(checkpoint)
        _ = try QueryOptions.coefficients(coef)
        try NumericOption.digits(digits)
        try NumericOption.positive(k, "-k")
        try NumericOption.positive(top, "--top")
        try NumericOption.positive(clusters, "--clusters")
    }

    private var resolvedFormat: ExportFormat {
        format ?? output.flatMap(ExportFormat.init(fileName:)) ?? .csv
    }

    func run() throws {
        var exporter = Exporter(table: table, format: resolvedFormat, output: output)
        exporter.headers = !noHeaders
        exporter.digits = digits
        exporter.caption = caption
        exporter.replace = force
        exporter.partitionBy = partitionBy.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        var parameters = ExportTable.Parameters()
        parameters.k = k
        parameters.capacityGrouping = by
        parameters.capacityMode = mode
        parameters.wide = wide
        parameters.concentrationTop = top
        parameters.clusterCount = clusters
        parameters.clusterMethod = method
        parameters.seed = seed
        parameters.components = components
        let selection = QuerySelection(checkpoints: try QueryOptions.checkpoints(checkpoint) ?? table.defaultCheckpoints,
                                       coefficients: try QueryOptions.coefficients(coef) ?? (table == .top ? .nearest(0) : .all),
                                       components: ComponentFilter(layers: layer, kinds: kind))
        try exporter.export(store: try store.open(.read), runs: runs, scan: scan, metric: metric, selection: selection, parameters: parameters)
    }
}
