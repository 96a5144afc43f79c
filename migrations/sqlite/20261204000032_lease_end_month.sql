-- A lease's last month (issue 22): set once, by RentPlanService.EndLease,
-- never before the lease's start month and never changed or cleared after.
-- The monthly follow-up reads it for the length of stay and the moves on
-- the housing ladder. NULL: the lease is ongoing.
ALTER TABLE leases ADD COLUMN end_month TEXT
    CHECK (end_month IS NULL OR (length(end_month) = 7
        AND end_month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'
        AND substr(end_month, 6, 2) BETWEEN '01' AND '12'));

CREATE TRIGGER leases_end_once BEFORE UPDATE OF end_month ON leases
WHEN OLD.end_month IS NOT NULL AND (NEW.end_month IS NULL OR NEW.end_month <> OLD.end_month)
BEGIN SELECT RAISE(ABORT, 'LEASE_ENDED: a lease ends once'); END;

CREATE TRIGGER leases_end_after_start BEFORE UPDATE OF end_month ON leases
WHEN NEW.end_month IS NOT NULL
  AND NEW.end_month < (SELECT MIN(r.from_month) FROM lease_rents r WHERE r.lease_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'LEASE_END_BEFORE_START: a lease ends in or after its start month'); END;
