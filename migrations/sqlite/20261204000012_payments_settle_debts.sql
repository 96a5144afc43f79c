-- Payments settle debts, notices follow the money (issue 18, items 1 and 2).
--
-- A debt event made by a ledger or plan entry (an arrears payout, its
-- reversal, an arrears receipt, a plan payment) names that entry as its
-- evidence; one entry makes at most one event, so a replay adds nothing.
ALTER TABLE debt_events ADD COLUMN evidence_id TEXT;
CREATE UNIQUE INDEX debt_events_evidence ON debt_events (evidence_id);

-- The hyresskuld debt a plan's payments settle, when the household has
-- several debts to the landlord; NULL when not named.
ALTER TABLE rent_plans ADD COLUMN debt_id TEXT REFERENCES debts (id);

-- The entries that paid a notice's amount owed within its deadline
-- (resolution paid_within_deadline), as ids separated by commas.
ALTER TABLE eviction_notices ADD COLUMN evidence_ids TEXT NOT NULL DEFAULT '';
