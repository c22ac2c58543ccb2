/// A table whose rows hang off a run, a checkpoint or a matrix, and which `attrdb merge` copies
/// beside the rows it maps by name (runs, components, scans and grids, metrics, checkpoints,
/// matrices): tags, statistics, norms, and whatever later migrations add. A new such table is one
/// entry in ``all``; its columns are copied by name, so a column added later comes along too.
struct MergeTable: Sendable {
    /// The row a table's rows belong to: its id column in the table is `<parent>_id`, and the merge
    /// maps source ids to the store's through `temp.merge_<parent>`.
    enum Parent: String, Sendable {
        case run, checkpoint, attribution

        /// The table's column holding the parent's id.
        var column: String { rawValue + "_id" }
        /// The merge's map of the parent's source ids to the store's: columns `src`, `dest`.
        var map: String { "temp.merge_" + rawValue }
    }

    let name: String
    let parent: Parent
    /// The columns that, with the parent's id, name one row (the table's primary key).
    let key: [String]
    /// The table's own INTEGER PRIMARY KEY, if it has one: the store numbers copied rows itself.
    var rowID: String? = nil

    /// The tables the merge matches by name and maps ids of, each in code of its own (StoreMerge.swift).
    /// Every table of the schema is one of these or in ``all``: a test fails on one that is neither.
    static let mapped: Set<String> = ["run", "component", "scan", "coefficient", "metric", "checkpoint", "attribution"]

    /// Every table merged this way, in the order they are copied.
    static let all: [MergeTable] = [
        MergeTable(name: "run_tag", parent: .run, key: ["key"]),
        MergeTable(name: "checkpoint_stat", parent: .checkpoint, key: ["name"]),
        MergeTable(name: "resid_norm", parent: .checkpoint, key: ["layer", "hook"]),
        MergeTable(name: "wov_norm", parent: .checkpoint, key: ["layer", "head"]),
        // Copied as stored, like the matrices they summarise (schema 4).
        MergeTable(name: "attribution_summary", parent: .attribution, key: ["statistic"], rowID: "summary_id"),
        MergeTable(name: "summary_totals", parent: .attribution, key: ["statistic"]),
        MergeTable(name: "summary_ranked", parent: .attribution, key: ["statistic"]),
    ]
}
