-- No lease-month after a lease's last month is written to the rent ledger
-- (LEASE_ENDED, as PayoutService refuses it): a payout or a receipt for a
-- month after `leases.end_month` pays rent that is not due. Ending a lease
-- is not refused for payments already recorded after the month it ends in
-- (a tenant may move out after next month's rent went out); those stay in
-- the ledger to be reversed or reclaimed.
CREATE FUNCTION ledger_within_lease() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM leases l WHERE l.id = NEW.lease_id
               AND l.end_month IS NOT NULL AND NEW.rent_month > l.end_month) THEN
        RAISE EXCEPTION 'LEASE_ENDED: the rent month is after the lease''s last month';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER rent_payouts_within_lease BEFORE INSERT ON rent_payouts
    FOR EACH ROW EXECUTE FUNCTION ledger_within_lease();

CREATE TRIGGER rent_receipts_within_lease BEFORE INSERT ON rent_receipts
    FOR EACH ROW EXECUTE FUNCTION ledger_within_lease();
