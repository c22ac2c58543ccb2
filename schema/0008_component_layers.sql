-- attrdb schema, migration 8: an index that names a run's layers and kinds without reading its components.
--
-- A query over every component and the whole coefficient grid answers from the summaries, a few hundred
-- bytes a checkpoint, but it still has to know the run's layers (and each layer's kinds, which name it:
-- `embed`, `layer 3`, `bias`). Read from the component rows, that took 0.30 s at 737 280 components
-- (an every-neuron scan of Pythia-12B), three times a whole-grid query's budget. With this index the
-- distinct (layer, kind) pairs are found by one seek each, a few dozen in all; with the position,
-- `show` counts each pair's components and finds its first in the index alone. (IF NOT EXISTS: the upgrade
-- tests set an older user_version on a store that already has it.)
CREATE INDEX IF NOT EXISTS component_layer ON component (run_id, layer, kind, position);

-- `attrdb runs` counted every run's component rows (0.15 s at 737 280): the count is one past the
-- last position, one seek, since positions run from 0 without gaps (`attrdb check`: component_positions).
-- Its values were added up from every matrix's row, a 64 KiB page each (64 MB at 1 000 checkpoints):
-- they are the matrices counted in the index on (scan, metric, checkpoint) times their scan's grid
-- and the run's components, which every matrix has (`attrdb check`: matrix_shape).
DROP VIEW run_summary;
CREATE VIEW run_summary AS
SELECT r.name,
       r.model,
       r.task,
       (SELECT count(*) FROM checkpoint c WHERE c.run_id = r.run_id) AS checkpoints,
       (SELECT coalesce(max(p.position) + 1, 0) FROM component p WHERE p.run_id = r.run_id) AS components,
       (SELECT coalesce(sum(s.n_coefficients * (SELECT count(*) FROM attribution a WHERE a.scan_id = s.scan_id)), 0)
          FROM scan s WHERE s.run_id = r.run_id)
         * (SELECT coalesce(max(p.position) + 1, 0) FROM component p WHERE p.run_id = r.run_id) AS "values",
       r.created_at AS created,
       r.status,
       (SELECT group_concat(t.key || '=' || t.value, ',') FROM (SELECT key, value FROM run_tag WHERE run_id = r.run_id ORDER BY key) t) AS tags
FROM run r;
