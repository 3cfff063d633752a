-- The last time a reconcile left a user without a row (deleted it, or found nothing to write),
-- numbered from the same sequence as row writes (users_write_seq). A rebuild trusts its listing's
-- picture for a user without a row only when no reconcile left the user rowless after the listing
-- began (docs/design.md, "Pictures from the listing"). The rebuild prunes numbers older than its
-- own listing, so the table holds about a day of deletions.
CREATE TABLE user_absences (
  user_id  text PRIMARY KEY,
  seen_seq bigint NOT NULL DEFAULT nextval('users_write_seq')
);
