-- Debts (DESIGN §3.4). A debt's balance changes only through a recorded
-- event in debt_events, which is append-only; debts.balance_ore is the
-- running balance after the latest event, kept in the same transaction.
-- request_id makes a create or an event idempotent; request_hash tells a
-- replay from a different request that reuses the id.
CREATE TABLE debts (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id),
    -- A member id of the household when the debt was saved. No foreign key:
    -- a household update may remove the member, and the debt stays on record.
    debtor_member_id TEXT NOT NULL,
    creditor_name TEXT NOT NULL,
    creditor_organisation_number TEXT,
    creditor_reference TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    balance_ore BIGINT NOT NULL CHECK (balance_ore >= 0),
    -- Percent a year in hundredths (12.5 % = 1250).
    interest_rate_hundredths BIGINT NOT NULL CHECK (interest_rate_hundredths BETWEEN 0 AND 10000),
    monthly_fee_ore BIGINT NOT NULL CHECK (monthly_fee_ore >= 0),
    agreed_payment_ore BIGINT NOT NULL CHECK (agreed_payment_ore >= 0),
    revision BIGINT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    request_id TEXT NOT NULL UNIQUE,
    request_hash TEXT NOT NULL
);

CREATE INDEX debts_household ON debts (household_id, id);

CREATE TABLE debt_events (
    id TEXT PRIMARY KEY,
    debt_id TEXT NOT NULL REFERENCES debts (id),
    -- 1, 2, … per debt: the order recorded.
    position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    event_date TEXT NOT NULL,
    change_ore BIGINT NOT NULL,
    balance_after_ore BIGINT NOT NULL CHECK (balance_after_ore >= 0),
    note TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    -- NULL for the opening balance, which the debt's request_id covers.
    request_id TEXT UNIQUE,
    request_hash TEXT,
    UNIQUE (debt_id, position)
);

CREATE FUNCTION debt_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'debt_events is append-only';
END;
$$;

CREATE TRIGGER debt_events_no_change BEFORE UPDATE OR DELETE ON debt_events
    FOR EACH ROW EXECUTE FUNCTION debt_events_append_only();

CREATE TRIGGER debt_events_no_truncate BEFORE TRUNCATE ON debt_events
    FOR EACH STATEMENT EXECUTE FUNCTION debt_events_append_only();
