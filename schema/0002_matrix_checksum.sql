-- attrdb schema, migration 2: a checksum with every matrix, so `attrdb check` finds a matrix whose
-- bytes changed after they were written. schema/README.md documents the algorithm and what it covers.
--
-- attribution.checksum is the xxHash64 (seed 0) of the matrix's bytes as stored, read as a signed 64-bit
-- INTEGER. It must come before `matrix` in the row: SQLite writes a zeroblob lazily (ingest reserves the
-- matrix that way and fills it by incremental blob I/O) only when nothing with a value follows it in the
-- record, and reading a column after a large blob walks the blob's overflow pages. ALTER TABLE ADD
-- COLUMN would put it last, so the table is rebuilt, with its attribution_id values kept.
--
-- The checksums of an older store's matrices are computed by xxh64(), a SQL function attrdb registers
-- on its connections (written in Swift, SQLite has none): attrdb applies this migration when it opens
-- an older store to write, in one transaction with the version it sets; a plain sqlite3 shell cannot.

DROP VIEW run_summary;
DROP VIEW attribution_value;

CREATE TABLE attribution_new (
    attribution_id  INTEGER PRIMARY KEY,
    scan_id         INTEGER NOT NULL REFERENCES scan (scan_id) ON DELETE CASCADE,
    metric_id       INTEGER NOT NULL REFERENCES metric (metric_id),
    checkpoint_id   INTEGER NOT NULL REFERENCES checkpoint (checkpoint_id) ON DELETE CASCADE,
    n_components    INTEGER NOT NULL CHECK (n_components >= 1),
    n_coefficients  INTEGER NOT NULL CHECK (n_coefficients >= 1),
    checksum        INTEGER NOT NULL,
    matrix          BLOB NOT NULL,
    UNIQUE (scan_id, metric_id, checkpoint_id)
);
INSERT INTO attribution_new (attribution_id, scan_id, metric_id, checkpoint_id, n_components, n_coefficients, checksum, matrix)
SELECT attribution_id, scan_id, metric_id, checkpoint_id, n_components, n_coefficients, xxh64(matrix), matrix
FROM attribution ORDER BY attribution_id;
DROP TABLE attribution;
ALTER TABLE attribution_new RENAME TO attribution;
CREATE INDEX attribution_by_checkpoint ON attribution (checkpoint_id);

-- The views of migration 1, unchanged, made again over the new table.
-- One line per run, as `attrdb runs` shows it.
CREATE VIEW run_summary AS
SELECT r.name,
       r.model,
       r.task,
       (SELECT count(*) FROM checkpoint c WHERE c.run_id = r.run_id) AS checkpoints,
       (SELECT count(*) FROM component p WHERE p.run_id = r.run_id) AS components,
       (SELECT coalesce(sum(a.n_components * a.n_coefficients), 0)
          FROM attribution a JOIN scan s USING (scan_id) WHERE s.run_id = r.run_id) AS "values",
       r.created_at AS created,
       r.status,
       (SELECT group_concat(t.key || '=' || t.value, ',') FROM (SELECT key, value FROM run_tag WHERE run_id = r.run_id ORDER BY key) t) AS tags
FROM run r;

-- Every value in long form. Needs attrdb's f32_at function (any attrdb connection has it); it reads
-- whole matrices row by row, so use it on small selections and the f32_* functions on large ones.
CREATE VIEW attribution_value AS
SELECT r.name AS run,
       s.name AS scan,
       m.name AS metric,
       c.step AS checkpoint_step,
       k.value AS coefficient,
       p.label AS component,
       p.layer,
       p.kind,
       f32_at(a.matrix, p.position * a.n_coefficients + k.position) AS value
FROM attribution a
JOIN scan s ON s.scan_id = a.scan_id
JOIN run r ON r.run_id = s.run_id
JOIN metric m ON m.metric_id = a.metric_id
JOIN checkpoint c ON c.checkpoint_id = a.checkpoint_id
JOIN component p ON p.run_id = s.run_id
JOIN coefficient k ON k.scan_id = a.scan_id;
