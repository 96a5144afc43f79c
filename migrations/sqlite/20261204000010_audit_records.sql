-- Audit without gaps (issue 17, item 4): a replayed idempotent write leaves
-- its own row, marked `replay = 1`, and every row names the records the call
-- read or wrote, as `kind:uuid` items separated by commas (such as
-- `payout:…,lease:…`), so an auditor can ask who saw or changed one payout
-- and not only one household. Added columns stay under the append-only
-- triggers, which refuse UPDATE and DELETE of any column of any row.
ALTER TABLE audit_events ADD COLUMN replay INTEGER NOT NULL DEFAULT 0;
ALTER TABLE audit_events ADD COLUMN records TEXT NOT NULL DEFAULT '';
