-- attrdb schema, migration 1: runs, checkpoints, components, scans, metrics, packed attributions,
-- and per-checkpoint statistics. schema/README.md documents every table and the byte layout.

CREATE TABLE run (
    run_id      INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    model       TEXT,
    task        TEXT,
    config      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
    created_at  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'incomplete' CHECK (status IN ('complete', 'incomplete'))
);

CREATE TABLE run_tag (
    run_id  INTEGER NOT NULL REFERENCES run (run_id) ON DELETE CASCADE,
    key     TEXT NOT NULL,
    value   TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;

CREATE TABLE checkpoint (
    checkpoint_id  INTEGER PRIMARY KEY,
    run_id         INTEGER NOT NULL REFERENCES run (run_id) ON DELETE CASCADE,
    step           INTEGER NOT NULL,
    tokens_seen    INTEGER,
    UNIQUE (run_id, step)
);

CREATE TABLE component (
    component_id    INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL REFERENCES run (run_id) ON DELETE CASCADE,
    position        INTEGER NOT NULL CHECK (position >= 0),
    label           TEXT NOT NULL,
    layer           INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('embed', 'pos_embed', 'attn_head', 'mlp', 'neuron', 'bias')),
    head_or_neuron  INTEGER,
    UNIQUE (run_id, position),
    UNIQUE (run_id, label)
);

CREATE TABLE scan (
    scan_id         INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL REFERENCES run (run_id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    hook            TEXT,
    config          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config)),
    n_coefficients  INTEGER NOT NULL CHECK (n_coefficients >= 1),
    UNIQUE (run_id, name)
);

CREATE TABLE coefficient (
    scan_id   INTEGER NOT NULL REFERENCES scan (scan_id) ON DELETE CASCADE,
    position  INTEGER NOT NULL CHECK (position >= 0),
    value     REAL NOT NULL,
    PRIMARY KEY (scan_id, position)
) WITHOUT ROWID;

CREATE TABLE metric (
    metric_id    INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    description  TEXT
);

-- One row per (scan, metric, checkpoint): every component's value at every coefficient, packed as
-- little-endian float32, component-major: value(component p, coefficient j) is at byte 4*(p*n_coefficients + j).
-- The matrix is the last column so reading the others never touches its overflow pages.
CREATE TABLE attribution (
    attribution_id  INTEGER PRIMARY KEY,
    scan_id         INTEGER NOT NULL REFERENCES scan (scan_id) ON DELETE CASCADE,
    metric_id       INTEGER NOT NULL REFERENCES metric (metric_id),
    checkpoint_id   INTEGER NOT NULL REFERENCES checkpoint (checkpoint_id) ON DELETE CASCADE,
    n_components    INTEGER NOT NULL CHECK (n_components >= 1),
    n_coefficients  INTEGER NOT NULL CHECK (n_coefficients >= 1),
    matrix          BLOB NOT NULL,
    UNIQUE (scan_id, metric_id, checkpoint_id)
);
CREATE INDEX attribution_by_checkpoint ON attribution (checkpoint_id);

-- Per-checkpoint scalars: losses and accuracies (train_loss, test_loss, train_acc, test_acc, …).
CREATE TABLE checkpoint_stat (
    checkpoint_id  INTEGER NOT NULL REFERENCES checkpoint (checkpoint_id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    value          REAL,
    PRIMARY KEY (checkpoint_id, name)
) WITHOUT ROWID;

-- Mean L2 norm of the residual stream at a hook (resid_pre of each layer, the final resid_post).
CREATE TABLE resid_norm (
    checkpoint_id  INTEGER NOT NULL REFERENCES checkpoint (checkpoint_id) ON DELETE CASCADE,
    layer          INTEGER NOT NULL,
    hook           TEXT NOT NULL,
    norm           REAL NOT NULL,
    PRIMARY KEY (checkpoint_id, layer, hook)
) WITHOUT ROWID;

-- Frobenius norm of W_V·W_O per attention head.
CREATE TABLE wov_norm (
    checkpoint_id   INTEGER NOT NULL REFERENCES checkpoint (checkpoint_id) ON DELETE CASCADE,
    layer           INTEGER NOT NULL,
    head            INTEGER NOT NULL,
    frobenius_norm  REAL NOT NULL,
    PRIMARY KEY (checkpoint_id, layer, head)
) WITHOUT ROWID;

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
