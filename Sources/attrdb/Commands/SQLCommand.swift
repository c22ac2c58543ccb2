import ArgumentParser
import AttrDB

struct SQLCommand: ParsableCommand {
    /// The aligned table holds its rows to measure the columns: this many, unless --max-rows.
    static let tableRowLimit = 10_000

    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL statement on the store, with attrdb's f32_* functions for packed values.",
        discussion: """
            Statements that write (INSERT, UPDATE, DELETE, DROP, CREATE, ATTACH, PRAGMAs that set a value) are refused, \
            as are fts3_tokenizer and load_extension. schema/README.md documents the tables and functions. \
            --format table shows the first \(tableRowLimit) rows unless --max-rows says otherwise, and says on standard error when it left rows out; \
            csv, tsv, json and jsonl stream every row; npy and parquet (-o FILE) hold the rows and write them at the end. --timeout stops a statement that runs too long (exit status 1). \
            A reader that stops reading (| head) ends the command quietly, with status 0.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .customLong("max-rows"), help: ArgumentHelp("Write at most N rows (default: \(tableRowLimit) for --format table, else all).", valueName: "n"))
    var maxRows: Int?
    @Option(help: ArgumentHelp("Stop the statement after this many seconds, with an error (exit status 1).", valueName: "seconds"))
    var timeout: Double?
    @Argument(help: ArgumentHelp("The statement.", valueName: "sql")) var sql: String

    func validate() throws {
        if let maxRows, maxRows < 1 { throw ValidationError("--max-rows takes a number of rows, 1 or more.") }
        if let timeout, !(timeout > 0 && timeout.isFinite) { throw ValidationError("--timeout takes a number of seconds above 0.") }
    }

    func run() throws {
        let target = output.target()
        let limit = maxRows ?? (target.format == .table ? Self.tableRowLimit : nil)
        let outcome = try RawSQL.run(sql, path: store.path, timeout: timeout, maxRows: limit) { try target.rows(columns: $0) }
        if outcome.cut {
            let streaming = target.format == .table ? ", or --format csv to stream them all" : ""
            Diagnostics.error("showed the first \(outcome.rows) rows; the query returns more (--max-rows N to show more\(streaming))")
        }
    }
}
