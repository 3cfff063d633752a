-- Every write of a user's row draws a number from one sequence (shared/src/db/queries/upsertUsers.ts).
-- A rebuild draws one before it lists the bucket; a row whose number is smaller was last written
-- before the listing, which lets the rebuild take pictures from its listing instead of one HEAD per
-- user (docs/design.md, "Pictures from the listing"). Rows written before this migration count
-- as written before any rebuild: 0. Added with a constant default first, so no table rewrite.
CREATE SEQUENCE users_write_seq AS bigint;
ALTER TABLE users ADD COLUMN write_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE users ALTER COLUMN write_seq SET DEFAULT nextval('users_write_seq');
