-- attrdb schema, migration 9: per matrix, its largest component masses with their positions, so that
-- `turnover` finds the components at or above a cut-off without reading every component's sum.
-- schema/README.md documents the byte layout.
--
-- summary_ranked: one row per matrix that has summaries and whose 'abs' component sums are all finite:
--   n_components: the matrix's component count (every component is ranked when it is at most 1024).
--   ranked:       the min(n_components, 1024) largest 'abs' component sums, largest first (ties: the
--                 earlier position first), each as a little-endian int32 position and the float64 sum
--                 exactly as attribution_summary.components holds it: 12 bytes an entry.
-- The components at or above a cut-off whose threshold mass exceeds the last entry's sum are all
-- here; a cut-off low enough to reach past it, or a component that crosses it from outside the ranked
-- ones, sends turnover to the component sums (the same answer, read from 8 bytes a component).
--
-- Ingest writes the row with the matrix's summaries; this migration's Swift half ranks the stored sums
-- of the matrices already in the store, in the same transaction, reading no value. (IF NOT EXISTS: the
-- upgrade tests set an older user_version on a store that already has the table.)
CREATE TABLE IF NOT EXISTS summary_ranked (
    attribution_id  INTEGER NOT NULL REFERENCES attribution (attribution_id) ON DELETE CASCADE,
    statistic       TEXT NOT NULL CHECK (statistic IN ('abs', 'signed', 'squared')),
    n_components    INTEGER NOT NULL CHECK (n_components >= 1),
    ranked          BLOB NOT NULL,
    PRIMARY KEY (attribution_id, statistic)
) WITHOUT ROWID;
