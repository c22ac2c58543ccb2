-- attrdb schema, migration 4: summaries of every matrix, kept at ingest, so the queries over the whole
-- coefficient grid (capacity, concentration, turnover, compare, the report) read a few bytes per
-- component instead of every value. schema/README.md documents the byte layout.
--
-- Three rows per attribution row, one per statistic: 'abs' (sums of |v|), 'signed' (sums of v),
-- 'squared' (sums of v²), each sum accumulated in float64 from the float32 values as stored.
--   components: n_components float64, the sum over the whole coefficient grid of each component
--               (its row of the matrix), in position order. The last column: it is the big one, and
--               a query that needs only `layers` never reads it.
--   layers:     n_layers × n_coefficients float64, layer-major: the sum over the run's components of
--               layer i (the run's distinct component layers in ascending order, i from 0) at each
--               coefficient.
-- A row per statistic, not a column each, so a query reads exactly the bytes of the statistic it
-- needs: a later column of a row is reached only by walking the overflow pages of the ones before it.
--
-- The summaries of a store's existing matrices are computed by attrdb (in Swift: plain SQL has no
-- way to unpack a matrix) when it applies this migration, in the same transaction.

CREATE TABLE attribution_summary (
    summary_id      INTEGER PRIMARY KEY,
    attribution_id  INTEGER NOT NULL REFERENCES attribution (attribution_id) ON DELETE CASCADE,
    statistic       TEXT NOT NULL CHECK (statistic IN ('abs', 'signed', 'squared')),
    n_components    INTEGER NOT NULL CHECK (n_components >= 1),
    n_layers        INTEGER NOT NULL CHECK (n_layers >= 1),
    n_coefficients  INTEGER NOT NULL CHECK (n_coefficients >= 1),
    layers          BLOB NOT NULL,
    components      BLOB NOT NULL,
    UNIQUE (attribution_id, statistic)
);
