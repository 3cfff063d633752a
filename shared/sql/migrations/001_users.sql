-- Users as derived from the bucket. user_id is compared byte-wise ("C") so the order of
-- output.csv, the API and the index are one and the same, whatever the server's locale.
CREATE TABLE users (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     text COLLATE "C" NOT NULL UNIQUE,
  first_name  text NOT NULL,
  last_name   text NOT NULL,
  birthdate   timestamptz NOT NULL,
  img_path    text,
  -- ETag of the csv version the row was built from: lets a rebuild skip unchanged files.
  csv_etag    text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The latest rejection of each user file that could not be used; cleared when a good
-- version of that key arrives or the key is deleted.
CREATE TABLE rejected_files (
  key          text COLLATE "C" PRIMARY KEY,
  user_id      text COLLATE "C" NOT NULL,
  etag         text NOT NULL,
  reason       text NOT NULL,
  rejected_at  timestamptz NOT NULL DEFAULT now()
);
