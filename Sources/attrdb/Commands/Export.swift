import ArgumentParser
import AttrDB

extension ExportTable: ExpressibleByArgument {}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
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
    @Argument(help: ArgumentHelp("The table: \(ExportTable.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "table")) var table: ExportTable
    @OptionGroup var query: QueryOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
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
