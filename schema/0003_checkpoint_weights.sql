-- attrdb schema, migration 3: the SHA-256 of each checkpoint's model weights, so checkpoints of one run
-- whose weights are identical (a model hub serving the same weights under two step names) can be told
-- apart from real training progress. schema/README.md documents it.
--
-- checkpoint.weights_sha256 is 64 lowercase hex digits, or NULL when nobody logged it (every checkpoint of
-- an older store, every file ingest). ADD COLUMN puts it last, which is fine: the row is small. The CHECK
-- holds the format; that two steps share a hash is allowed (attrdb check warns about it).

ALTER TABLE checkpoint ADD COLUMN weights_sha256 TEXT
    CHECK (weights_sha256 IS NULL OR (length(weights_sha256) = 64 AND weights_sha256 NOT GLOB '*[^0-9a-f]*'));
