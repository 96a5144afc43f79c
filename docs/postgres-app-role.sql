-- The rights of the role budgetrad serves with (--database-url) on
-- PostgreSQL: read everything it reads, append to the ledger and audit
-- tables, and change only the rows the store changes. It owns nothing, so it
-- cannot ALTER, DROP or TRUNCATE a table, nor disable or drop the
-- append-only triggers; the owner (--migrate-database-url) runs migrations.
--
-- Run it as the owner of budgetrad's tables, after the server has migrated
-- the database, and again after every upgrade (it revokes first, so running
-- it twice gives the same rights):
--
--   psql "postgres://budgetrad_owner@HOST/budgetrad" -v ON_ERROR_STOP=1 \
--        -v app_role=budgetrad_app -f docs/postgres-app-role.sql
--
-- The role's name is the psql variable app_role. What the store writes is
-- in src/store/ (every UPDATE and DELETE it issues is listed below; a test
-- in tests/it/database_guards.rs checks this file against the store's SQL).

-- Refuse a role that could undo the point of this file: a superuser, one
-- that bypasses row security, or the owner (or a member of the owner).
SELECT set_config('budgetrad.app_role', :'app_role', false);
DO $$
DECLARE
    app name := current_setting('budgetrad.app_role');
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app AND rolcanlogin) THEN
        RAISE EXCEPTION 'the app role must exist and be a LOGIN role';
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = app AND (rolsuper OR rolbypassrls)) THEN
        RAISE EXCEPTION 'the app role must not be a superuser or bypass row security';
    END IF;
    IF pg_has_role(app, current_user, 'MEMBER') THEN
        RAISE EXCEPTION 'the app role must not be the owner of the tables or a member of it';
    END IF;
END
$$;

-- Start from nothing.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"app_role";
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM :"app_role";
GRANT USAGE ON SCHEMA public TO :"app_role";

-- Append-only: the rent ledger, the audit trail and the other money records.
GRANT SELECT, INSERT ON rent_payouts, rent_payout_reversals, rent_receipts,
    audit_events, debt_events, rent_plan_payments TO :"app_role";
-- Append-only: a household's moves between units.
GRANT SELECT, INSERT ON household_unit_changes TO :"app_role";
-- The hash chains over the ledger and the audit trail. The seal's barrier,
-- audit_seal_barrier(), runs as its owner (EXECUTE is PUBLIC's by default).
GRANT SELECT, INSERT ON ledger_chain, audit_chain TO :"app_role";
-- Payment batches and the payouts' states at the bank (append-only; the
-- batch's events take an advisory lock, which needs no grant), and the
-- view of the payouts that count for nothing.
GRANT SELECT, INSERT ON payment_batches, payment_batch_payouts, payment_batch_events,
    payout_bank_states, payment_status_files TO :"app_role";
GRANT SELECT ON voided_payouts TO :"app_role";
-- A payout's states with the SENT its batch's export implies.
GRANT SELECT ON payout_bank_path TO :"app_role";
-- Read at start: the entries written before the chains existed.
GRANT SELECT ON ledger_chain_backlog TO :"app_role";
-- audit_events.sequence is an identity column.
GRANT USAGE ON SEQUENCE audit_events_sequence_seq TO :"app_role";

-- Written once, never changed by the store.
GRANT SELECT, INSERT ON norm_tables, norm_table_rows, budgets, budget_lines,
    budget_comparisons, landlords, lease_rents TO :"app_role";

-- Changed in place by the store: a household's revision and members (a
-- member removed from a household is deleted), a debt's terms and balance,
-- a lease's updated_at (and its row lock, SELECT … FOR UPDATE, which needs
-- UPDATE), a notice's resolution, the debt a plan names, an alert's state.
GRANT SELECT, INSERT, UPDATE ON households, debts, leases, eviction_notices,
    rent_plans, alerts TO :"app_role";
GRANT SELECT, INSERT, UPDATE, DELETE ON household_members TO :"app_role";

-- A table a later migration adds is readable and appendable at once; any
-- further right comes from running this file again.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT ON TABLES TO :"app_role";
