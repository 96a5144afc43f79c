-- A lease's last month (issue 22): set once, by RentPlanService.EndLease,
-- never before the lease's start month and never changed or cleared after.
-- The monthly follow-up reads it for the length of stay and the moves on
-- the housing ladder. NULL: the lease is ongoing.
ALTER TABLE leases ADD COLUMN end_month TEXT
    CHECK (end_month IS NULL OR end_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$');

CREATE FUNCTION leases_end_rules() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.end_month IS NOT NULL AND NEW.end_month IS DISTINCT FROM OLD.end_month THEN
        RAISE EXCEPTION 'LEASE_ENDED: a lease ends once';
    END IF;
    IF NEW.end_month IS NOT NULL AND NEW.end_month
        < (SELECT MIN(r.from_month) FROM lease_rents r WHERE r.lease_id = NEW.id) THEN
        RAISE EXCEPTION 'LEASE_END_BEFORE_START: a lease ends in or after its start month';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER leases_end_rules BEFORE UPDATE OF end_month ON leases
    FOR EACH ROW EXECUTE FUNCTION leases_end_rules();
