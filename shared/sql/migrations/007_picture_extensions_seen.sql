-- The picture extensions besides png that the bucket has shown: reconcile looks for a jpg or a
-- jpeg only once one is recorded here, so a bucket of png pictures costs one HEAD per user
-- (docs/design.md, "Pictures looked for"). Rows are only ever added.
CREATE TABLE picture_extensions_seen (
  extension text PRIMARY KEY CHECK (extension IN ('jpg', 'jpeg')),
  seen_at   timestamptz NOT NULL DEFAULT now()
);

-- A database that already holds users was filled while both were always looked for, from a
-- bucket that may hold either (behind a preferred png, where no row shows it): keep looking.
INSERT INTO picture_extensions_seen (extension)
SELECT extension FROM unnest(ARRAY['jpg', 'jpeg']) AS extension
WHERE EXISTS (SELECT 1 FROM users);
