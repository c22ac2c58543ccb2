/// One numbered step of the file format: the SQL of `schema/NNNN_name.sql`.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    /// The newest schema version this build knows.
    public static var latestVersion: Int { embedded.last?.version ?? 0 }
}

/// Brings a store's schema to the newest version this build knows.
enum Migrator {
    /// Applies every migration newer than the store's `PRAGMA user_version`, each committed in the
    /// same transaction as the version it sets. Refuses a store made by a newer attrdb.
    static func migrate(_ connection: Connection, path: String, migrations: [Migration] = Migration.embedded) throws {
        try connection.transaction(.immediate) {
            let current = try version(of: connection)
            let latest = migrations.last?.version ?? 0
            if current > latest {
                throw StoreError.newerSchema(path: path, found: current, supported: latest)
            }
            var summaries = false, totals = false, width = false, ranked = false
            for migration in migrations where migration.version > current {
                try connection.execute(migration.sql)
                summaries = summaries || migration.name.hasSuffix("_summaries")
                totals = totals || migration.name.hasSuffix("_totals")
                width = width || migration.name.hasSuffix("_summary_width")
                ranked = ranked || migration.name.hasSuffix("_ranked_masses")
                try connection.execute("PRAGMA user_version = \(migration.version)")
            }
            // Plain SQL cannot unpack a matrix: the summaries of the matrices already stored are
            // computed here, in the same transaction (schema/0004_summaries.sql, 0006_summary_totals.sql),
            // and a 16-bit run's float64 sums narrowed before any totals are added up from them (0007),
            // and the largest sums ranked (0009).
            // After every migration's SQL, because the Swift that writes them knows only the newest
            // tables (a test that stops at an older version has them written by no one).
            if latest == Migration.latestVersion {
                if summaries { try StoredSummaries.fillMissing(connection) }
                if width { try StoredSummaries.narrowHalfPrecisionSums(connection) }
                if totals { try StoredSummaries.fillMissingTotals(connection) }
                if ranked { try StoredSummaries.fillMissingRanked(connection) }
            }
        }
    }

    static func version(of connection: Connection) throws -> Int {
        Int(try connection.scalar("PRAGMA user_version")?.int64 ?? 0)
    }
}
