-- attrdb schema, migration 5: a run's values may be stored in 16 bits (`ingest --precision f16|bf16`).
-- schema/README.md documents the byte layout of f16 and bf16 matrices and how to read them.
--
-- A run has one precision, for every scan, metric and checkpoint it holds: `run.precision` says how its
-- matrices are packed (4 bytes a value for f32, 2 for f16 and bf16), so a reader knows before it opens
-- one. Runs stored before this migration are float32. The rounding's errors, measured at ingest from the
-- original float32 values, are kept with the run for `attrdb show`: the largest relative error of a
-- value stored as a finite nonzero number, and the largest magnitude of a nonzero value stored as 0.
-- ALTER TABLE ADD COLUMN puts them last in `run`, which holds no blob: nothing is rebuilt.

ALTER TABLE run ADD COLUMN precision TEXT NOT NULL DEFAULT 'f32' CHECK (precision IN ('f32', 'f16', 'bf16'));
ALTER TABLE run ADD COLUMN max_relative_error REAL NOT NULL DEFAULT 0;
ALTER TABLE run ADD COLUMN max_rounded_to_zero REAL NOT NULL DEFAULT 0;

-- Every value in long form, now decoding each run's precision (f16_at and bf16_at are attrdb's SQL
-- functions beside f32_at). Otherwise the view of migration 2.
DROP VIEW attribution_value;
CREATE VIEW attribution_value AS
SELECT r.name AS run,
       s.name AS scan,
       m.name AS metric,
       c.step AS checkpoint_step,
       k.value AS coefficient,
       p.label AS component,
       p.layer,
       p.kind,
       CASE r.precision
           WHEN 'f16' THEN f16_at(a.matrix, p.position * a.n_coefficients + k.position)
           WHEN 'bf16' THEN bf16_at(a.matrix, p.position * a.n_coefficients + k.position)
           ELSE f32_at(a.matrix, p.position * a.n_coefficients + k.position)
       END AS value
FROM attribution a
JOIN scan s ON s.scan_id = a.scan_id
JOIN run r ON r.run_id = s.run_id
JOIN metric m ON m.metric_id = a.metric_id
JOIN checkpoint c ON c.checkpoint_id = a.checkpoint_id
JOIN component p ON p.run_id = s.run_id
JOIN coefficient k ON k.scan_id = a.scan_id;
