-- attrdb schema, migration 6: per matrix, the sums that answer `capacity --by layer|kind` and
-- `concentration` over the whole grid without reading a value per component. schema/README.md
-- documents the byte layout.
--
-- summary_totals: one row per attribution_summary row (matrix and statistic), from that row's
-- component sums, each added in position order from 0 exactly as `capacity` adds them, so an answer
-- from here is the very Double the values give:
--   sums:     float64 × (1 + n_layers + 6): the total over every component; then the sum over the
--             components of each layer (the run's distinct component layers, ascending); then the sum
--             over the components of each kind, in the order embed, pos_embed, attn_head, mlp,
--             neuron, bias (0 for a kind the run does not have).
--   entropy, gini, largest: the 'abs' row only, and only when the masses are finite and not all 0
--             (else NULL): `concentration`'s entropy (nats) and Gini coefficient over every
--             component, and the largest component sums, descending (at most 64), for its top_k_share.
-- Kept for every matrix that has summaries (grids of 16 coefficients or more).
--
-- attribution_summary keeps its per-(layer, coefficient) sums (`layers`): they answer `capacity
-- --by layer` over a `--coef` range without reading a value, which these whole-grid totals cannot.
--
-- The totals of a store's existing matrices are computed by attrdb from their component sums when
-- it applies this migration, in the same transaction.

CREATE TABLE summary_totals (
    attribution_id  INTEGER NOT NULL REFERENCES attribution (attribution_id) ON DELETE CASCADE,
    statistic       TEXT NOT NULL CHECK (statistic IN ('abs', 'signed', 'squared')),
    n_layers        INTEGER NOT NULL CHECK (n_layers >= 1),
    sums            BLOB NOT NULL,
    entropy         REAL,
    gini            REAL,
    largest         BLOB,
    PRIMARY KEY (attribution_id, statistic)
) WITHOUT ROWID;
