-- Rent-arrears payment plans (DESIGN §3.5). A plan stores its terms; the
-- schedule is computed from them and the lease's rent history. Payments
-- towards the arrears are append-only.
CREATE TABLE rent_plans (
    id TEXT PRIMARY KEY,
    lease_id TEXT NOT NULL REFERENCES leases (id),
    household_id TEXT NOT NULL REFERENCES households (id),
    arrears_ore BIGINT NOT NULL CHECK (arrears_ore > 0),
    start_month TEXT NOT NULL,
    -- Exactly one of instalment_ore and months.
    instalment_ore BIGINT,
    months BIGINT,
    broken_after BIGINT NOT NULL CHECK (broken_after >= 1),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    request_id TEXT NOT NULL UNIQUE,
    request_hash TEXT NOT NULL,
    CHECK ((instalment_ore IS NULL) <> (months IS NULL))
);

CREATE INDEX rent_plans_household ON rent_plans (household_id, id);

CREATE TABLE rent_plan_payments (
    id TEXT PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES rent_plans (id),
    paid_on TEXT NOT NULL,
    amount_ore BIGINT NOT NULL CHECK (amount_ore > 0),
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    request_id TEXT NOT NULL UNIQUE,
    request_hash TEXT NOT NULL
);

CREATE INDEX rent_plan_payments_plan ON rent_plan_payments (plan_id, paid_on, id);

CREATE FUNCTION rent_plan_payments_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'rent_plan_payments is append-only';
END;
$$;

CREATE TRIGGER rent_plan_payments_no_change BEFORE UPDATE OR DELETE ON rent_plan_payments
    FOR EACH ROW EXECUTE FUNCTION rent_plan_payments_append_only();

CREATE TRIGGER rent_plan_payments_no_truncate BEFORE TRUNCATE ON rent_plan_payments
    FOR EACH STATEMENT EXECUTE FUNCTION rent_plan_payments_append_only();
