import ArgumentParser
import AttrDB

extension Export {
    /// The tables `export` used to write that a query command now writes, with any format and -o:
    /// named in the usage error, so an old script learns where its table went.
    static let movedTables = ["capacity": "capacity", "top": "top", "profiles": "profile", "clusters": "clusters",
                              "concentration": "concentration", "norms": "norms", "wov": "norms --wov", "runs": "runs"]
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the raw values, or a run's checkpoints, components or losses, in any format.",
        discussion: """
            TABLE: \(ExportTable.allCases.map(\.rawValue).joined(separator: ", ")). Every query command (capacity, top, profile, clusters, \
            turnover, concentration, norms, compare, runs, sql, …) writes its own table in any format with -o: \
            attrdb capacity --run NAME -o capacity.parquet. \
            The format follows -o's extension (.csv .tsv .json .jsonl .md .tex .npy .parquet) unless --format says otherwise. \
            values as npy gives back the [checkpoints, coefficients, components] float32 array bit for bit, with axes.json beside it \
            (so the folder can be ingested again); an axes.json there that holds other axes is refused unless --force. \
            --partition-by run,checkpoint_step writes a Hive-style Parquet tree into the -o folder; \
            a folder with files in it is refused unless --force, which replaces it whole. \
            Every output is written beside its target and moved into place when complete: a failed export leaves the old file or folder as it was.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The table: \(ExportTable.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "table")) var name: String
    @OptionGroup var query: QueryOptions
    @OptionGroup var output: OutputOptions

    /// The table named; ``validate()`` has refused any other name.
    private var table: ExportTable { ExportTable(rawValue: name) ?? .values }

    func validate() throws {
        if let command = Self.movedTables[name] {
            throw ValidationError("export \(name) is gone: every query command writes any format with -o, e.g. attrdb \(command) --run NAME -o \(name).parquet")
        }
        guard ExportTable(rawValue: name) != nil else {
            throw ValidationError("export writes \(ExportTable.allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'.")
        }
        if !table.readsValues { try query.refuseValueOptions("export \(table.rawValue)", takesCheckpoints: table.hasCheckpoints) }
    }

    func run() throws {
        let opened = try store.open(.read)
        let selection = try query.selection(checkpoints: .all)
        if table == .values {
            return try ValuesExport.write(try selection.resolve(in: opened), to: output.target())
        }
        try output.print(byRun: try selection.runs.map { ($0, try table.table(store: opened, run: $0, checkpoints: selection.checkpoints)) })
    }
}
