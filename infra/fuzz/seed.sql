-- A small population for `make fuzz` (infra/fuzz/run.sh), loaded by the owner into the throwaway
-- fuzz database after the migrations: users of every age band, with and without a picture, names
-- with accents, apostrophes and commas, and a few rejected files. Deterministic, so runs repeat.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO users (user_id, first_name, last_name, birthdate, img_path, csv_etag)
SELECT
  '1' || lpad(n::text, 4, '0'),
  (ARRAY['Renée', 'Jürgen', 'Kai', 'Zoë', 'Łukasz', 'Ana María', 'O''Neil', 'Émile'])[1 + n % 8],
  (ARRAY['N''Diaye', 'Brontë', 'D''Angelo', 'Smith, Jr.', 'Müller', 'García', '李', 'Ørsted'])[1 + (n * 3) % 8],
  -- spread over 0 to ~99 years before a fixed instant; a 29 February among them
  timestamptz '2024-02-29 12:00:00+00' - make_interval(days => (n * 601) % 36500, secs => n * 7.5),
  CASE WHEN n % 3 = 0 THEN NULL ELSE 'src/' || '1' || lpad(n::text, 4, '0') || (ARRAY['.png', '.jpg', '.jpeg'])[1 + n % 3] END,
  md5(n::text)
FROM generate_series(1, 60) AS n;
INSERT INTO users (user_id, first_name, last_name, birthdate, img_path, csv_etag) VALUES
  ('0001', 'Leading', 'Zeros', '1990-01-01T00:00:00Z', NULL, 'etag-0001'),
  ('a.b_c-d', 'Dots', 'And Dashes', '2000-02-29T00:00:00Z', 'src/a.b_c-d.png', 'etag-abcd'),
  ('old', 'Very', 'Old', '1800-01-01T00:00:00Z', NULL, 'etag-old');
INSERT INTO rejected_files (key, user_id, etag, reason) VALUES
  ('broken.csv', 'broken', 'etag-broken', 'birthts is not a whole number of milliseconds'),
  ('empty.csv', 'empty', 'etag-empty', 'the file has no data row'),
  ('future.csv', 'future', 'etag-future', 'birthts is in the future'),
  ('two-rows.csv', 'two-rows', 'etag-two', 'the file has 2 data rows; exactly one is expected');
INSERT INTO rebuild_jobs (id, state, mode, requested_by, started_at, finished_at, summary) VALUES
  ('00000000-0000-4000-8000-000000000001', 'succeeded', 'full', 'fuzz-seed', now(), now(),
   '{"seen": 63, "inserted": 63, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 4}');
COMMIT;
