-- The rent ledger (DESIGN §3.6): rent paid out of försörjningsstöd straight
-- to the landlord, reversals of such payouts, and receipts that show the
-- household paid itself. All three are append-only: a mistake is corrected
-- by a reversal, never by changing a row.
CREATE TABLE rent_payouts (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE,
    request_hash TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households (id),
    lease_id TEXT NOT NULL REFERENCES leases (id),
    rent_month TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rent', 'arrears')),
    amount_ore BIGINT NOT NULL CHECK (amount_ore > 0),
    decision_reference TEXT NOT NULL CHECK (decision_reference <> ''),
    -- The landlord's account when the payout was recorded: exactly one.
    payee_bankgiro TEXT,
    payee_plusgiro TEXT,
    ocr_reference TEXT,
    payout_date TEXT NOT NULL,
    -- The arrears plan an arrears payout counts towards, fixed when recorded.
    plan_id TEXT REFERENCES rent_plans (id),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    CHECK ((payee_bankgiro IS NULL) <> (payee_plusgiro IS NULL)),
    CHECK (kind = 'arrears' OR plan_id IS NULL)
);

CREATE INDEX rent_payouts_lease_month ON rent_payouts (lease_id, rent_month, id);
CREATE INDEX rent_payouts_household ON rent_payouts (household_id, id);
CREATE INDEX rent_payouts_decision ON rent_payouts (decision_reference, id);
CREATE INDEX rent_payouts_plan ON rent_payouts (plan_id, id);

-- A payout is reversed at most once: payout_id is unique.
CREATE TABLE rent_payout_reversals (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE,
    request_hash TEXT NOT NULL,
    payout_id TEXT NOT NULL UNIQUE REFERENCES rent_payouts (id),
    reason TEXT NOT NULL CHECK (reason <> ''),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);

CREATE TABLE rent_receipts (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL UNIQUE,
    request_hash TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households (id),
    lease_id TEXT NOT NULL REFERENCES leases (id),
    rent_month TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rent', 'arrears')),
    amount_ore BIGINT NOT NULL CHECK (amount_ore > 0),
    paid_date TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('client_receipt', 'landlord_confirmation', 'autogiro', 'bank_statement')),
    plan_id TEXT REFERENCES rent_plans (id),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    CHECK (kind = 'arrears' OR plan_id IS NULL)
);

CREATE INDEX rent_receipts_lease_month ON rent_receipts (lease_id, rent_month, id);
CREATE INDEX rent_receipts_household ON rent_receipts (household_id, id);
CREATE INDEX rent_receipts_plan ON rent_receipts (plan_id, id);

CREATE FUNCTION rent_ledger_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER rent_payouts_no_change BEFORE UPDATE OR DELETE ON rent_payouts
    FOR EACH ROW EXECUTE FUNCTION rent_ledger_append_only();

CREATE TRIGGER rent_payouts_no_truncate BEFORE TRUNCATE ON rent_payouts
    FOR EACH STATEMENT EXECUTE FUNCTION rent_ledger_append_only();

CREATE TRIGGER rent_payout_reversals_no_change BEFORE UPDATE OR DELETE ON rent_payout_reversals
    FOR EACH ROW EXECUTE FUNCTION rent_ledger_append_only();

CREATE TRIGGER rent_payout_reversals_no_truncate BEFORE TRUNCATE ON rent_payout_reversals
    FOR EACH STATEMENT EXECUTE FUNCTION rent_ledger_append_only();

CREATE TRIGGER rent_receipts_no_change BEFORE UPDATE OR DELETE ON rent_receipts
    FOR EACH ROW EXECUTE FUNCTION rent_ledger_append_only();

CREATE TRIGGER rent_receipts_no_truncate BEFORE TRUNCATE ON rent_receipts
    FOR EACH STATEMENT EXECUTE FUNCTION rent_ledger_append_only();
